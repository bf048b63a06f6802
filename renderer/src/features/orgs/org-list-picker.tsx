import { useEffect, useState } from 'react';
import { useCall } from '../../api/context';
import { ErrorText } from '../../components/error-text';

/** The target of an upload: one org and one of its contact lists. */
export interface UploadTarget {
  orgId: string;
  orgName: string;
  listId: string;
  listName: string;
}

const LAST_TARGET_KEY = 'sluice-last-target';

/** The org and list chosen last on any screen, so the next screen starts from them. */
export function lastTarget(): { orgId: string; listId: string } | undefined {
  try {
    return JSON.parse(sessionStorage.getItem(LAST_TARGET_KEY) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}

/** Remembers the org and list a screen chose (Contact lists, Prepare, Upload). */
export function rememberTarget(orgId: string, listId: string): void {
  sessionStorage.setItem(LAST_TARGET_KEY, JSON.stringify({ orgId, listId }));
}

/**
 * Picks an org (the built-in Sandbox first) and one of its contact lists, starting from the
 * last choice made on any screen. Listing the lists signs in to a client-credentials org on
 * first use, so errors here are sign-in errors too.
 */
export function OrgListPicker({
  onChange,
}: {
  onChange: (target: UploadTarget | undefined) => void;
}) {
  const orgs = useCall('orgs:list', {});
  const [orgId, setOrgId] = useState(() => lastTarget()?.orgId ?? '');
  const knownOrg = orgs.data?.some((org) => org.id === orgId) ? orgId : '';
  const chosenOrg = knownOrg || orgs.data?.[0]?.id || '';
  const lists = useCall(
    'lists:search',
    { orgId: chosenOrg, pageNumber: 1, pageSize: 100, sortOrder: 'ascending' },
    chosenOrg,
  );
  const [listId, setListId] = useState(() => lastTarget()?.listId ?? '');

  const targetOf = (nextOrg: string, nextList: string): UploadTarget | undefined => {
    const list = lists.data?.entities.find((entity) => entity.id === nextList);
    const org = orgs.data?.find((entry) => entry.id === nextOrg);
    return org && list
      ? { orgId: org.id, orgName: org.name, listId: list.id, listName: list.name }
      : undefined;
  };

  // A list carried over from another screen is reported once its org's lists have loaded.
  const carried = targetOf(chosenOrg, listId);
  const carriedKey = carried ? `${carried.orgId}|${carried.listId}` : '';
  useEffect(() => {
    if (carried) onChange(carried);
    // Only when the carried choice becomes known, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [carriedKey]);

  const pick = (nextOrg: string, nextList: string) => {
    setOrgId(nextOrg);
    setListId(nextList);
    const target = targetOf(nextOrg, nextList);
    if (target) rememberTarget(target.orgId, target.listId);
    onChange(target);
  };

  const listKnown = lists.data?.entities.some((list) => list.id === listId) ?? false;
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
          value={listKnown ? listId : ''}
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
