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
 * Picks an org (the built-in Sandbox first) and one of its contact lists, starting from
 * `initial` (the form's own choice, kept across a reload) or else the last choice made on any
 * screen. Says so when the initial org or list no longer exists. Listing the lists signs in to a
 * client-credentials org on first use, so errors here are sign-in errors too.
 */
export function OrgListPicker({
  onChange,
  initial,
}: {
  onChange: (target: UploadTarget | undefined) => void;
  initial?: UploadTarget;
}) {
  const orgs = useCall('orgs:list', {});
  const [orgId, setOrgId] = useState(() => initial?.orgId ?? lastTarget()?.orgId ?? '');
  const knownOrg = orgs.data?.some((org) => org.id === orgId) ? orgId : '';
  const chosenOrg = knownOrg || orgs.data?.[0]?.id || '';
  const lists = useCall(
    'lists:search',
    { orgId: chosenOrg, pageNumber: 1, pageSize: 100, sortOrder: 'ascending' },
    chosenOrg,
  );
  const [listId, setListId] = useState(() => initial?.listId ?? lastTarget()?.listId ?? '');
  // Until another choice is made, an initial org or list that is gone is named, not replaced
  // silently by the first org's lists.
  const [initialPending, setInitialPending] = useState(initial !== undefined);

  const targetOf = (nextOrg: string, nextList: string): UploadTarget | undefined => {
    const list = lists.data?.entities.find((entity) => entity.id === nextList);
    const org = orgs.data?.find((entry) => entry.id === nextOrg);
    return org && list
      ? { orgId: org.id, orgName: org.name, listId: list.id, listName: list.name }
      : undefined;
  };

  // A list carried over from another screen is reported once its org's lists have loaded.
  // A list belongs to its org: when that org is gone, its list is not looked for in another.
  const carried = knownOrg ? targetOf(chosenOrg, listId) : undefined;
  const carriedKey = carried ? `${carried.orgId}|${carried.listId}` : '';
  useEffect(() => {
    if (carried) onChange(carried);
    // Only when the carried choice becomes known, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [carriedKey]);

  const pick = (nextOrg: string, nextList: string) => {
    setInitialPending(false);
    setOrgId(nextOrg);
    setListId(nextList);
    const target = targetOf(nextOrg, nextList);
    if (target) rememberTarget(target.orgId, target.listId);
    onChange(target);
  };

  const listKnown =
    (knownOrg !== '' && lists.data?.entities.some((list) => list.id === listId)) ?? false;
  let gone: string | undefined;
  if (initialPending && initial && orgs.data && !knownOrg) {
    gone = `The org “${initial.orgName}” chosen for this upload is no longer set up here: choose an org and a contact list (the file path and the run options are kept).`;
  } else if (initialPending && initial && chosenOrg === initial.orgId && lists.data && !listKnown) {
    gone = `The contact list “${initial.listName}” chosen for this upload is no longer in “${initial.orgName}”: choose a list (the file path and the run options are kept).`;
  }
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
      {gone && (
        <p className="notice" role="alert" data-testid="target-gone">
          {gone}
        </p>
      )}
      <ErrorText error={orgs.error ?? lists.error} />
    </div>
  );
}
