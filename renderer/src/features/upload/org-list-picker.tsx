import { useState } from 'react';
import { useCall } from '../../api/context';
import { ErrorText } from '../../components/error-text';

/** The target of an upload: one org and one of its contact lists. */
export interface UploadTarget {
  orgId: string;
  listId: string;
  listName: string;
}

/**
 * Picks an org (the built-in Sandbox first) and one of its contact lists. Listing the lists
 * signs in to a client-credentials org on first use, so errors here are sign-in errors too.
 */
export function OrgListPicker({
  onChange,
}: {
  onChange: (target: UploadTarget | undefined) => void;
}) {
  const orgs = useCall('orgs:list', {});
  const [orgId, setOrgId] = useState('');
  const chosenOrg = orgId || orgs.data?.[0]?.id || '';
  const lists = useCall(
    'lists:search',
    { orgId: chosenOrg, pageNumber: 1, pageSize: 100, sortOrder: 'ascending' },
    chosenOrg,
  );
  const [listId, setListId] = useState('');

  const pick = (nextOrg: string, nextList: string) => {
    setOrgId(nextOrg);
    setListId(nextList);
    const list = lists.data?.entities.find((entity) => entity.id === nextList);
    onChange(
      nextOrg && list ? { orgId: nextOrg, listId: list.id, listName: list.name } : undefined,
    );
  };

  return (
    <div className="options-grid">
      <label>
        Org
        <select
          aria-label="Org"
          value={chosenOrg}
          onChange={(event) => pick(event.target.value, '')}
        >
          {orgs.data?.map((org) => (
            <option key={org.id} value={org.id}>
              {org.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Contact list
        <select
          aria-label="Contact list"
          value={listId}
          disabled={!chosenOrg || lists.loading}
          onChange={(event) => pick(chosenOrg, event.target.value)}
        >
          <option value="">{lists.loading ? 'Loading lists…' : 'Choose a list'}</option>
          {lists.data?.entities.map((list) => (
            <option key={list.id} value={list.id}>
              {list.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorText error={orgs.error ?? lists.error} />
    </div>
  );
}
