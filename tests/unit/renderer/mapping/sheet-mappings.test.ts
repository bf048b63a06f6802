import { describe, expect, it } from 'vitest';
import type { MappingDraft } from '../../../../renderer/src/features/mapping/mapping-model';
import {
  sheetsStillThere,
  switchSheet,
} from '../../../../renderer/src/features/mapping/sheet-mappings';

// Moving between the sheets of a workbook keeps the mapping made for each: a sheet mapped before
// comes back as it was left, one never visited gets the auto-match.

const mappingReading = (header: string): MappingDraft => ({
  columns: { FirstName: { source: { kind: 'csv', header } } },
  contactId: { kind: 'column', column: 'FirstName' },
});
const onLeads = mappingReading('Nickname');
const onNotes = mappingReading('First Name');

describe('switching the sheet of a workbook', () => {
  it('remembers the sheet left, and a sheet never visited has no mapping yet', () => {
    const moved = switchSheet({}, { sheet: 'Leads', mapping: onLeads }, 'Notes');
    expect(moved.mapping).toBeUndefined();
    expect(moved.others).toEqual({ Leads: onLeads });
  });

  it('gives a sheet mapped before its mapping back, and remembers the one left', () => {
    const moved = switchSheet({ Leads: onLeads }, { sheet: 'Notes', mapping: onNotes }, 'Leads');
    expect(moved.mapping).toEqual(onLeads);
    expect(moved.others).toEqual({ Notes: onNotes });
  });

  it('keeps the mappings of sheets not involved, and does not change what it was given', () => {
    const others = { Archive: onNotes };
    const moved = switchSheet(others, { sheet: 'Leads', mapping: onLeads }, 'Notes');
    expect(moved.others).toEqual({ Archive: onNotes, Leads: onLeads });
    expect(others).toEqual({ Archive: onNotes });
  });

  it('remembers nothing new when no mapping was made yet', () => {
    expect(switchSheet({ Leads: onLeads }, undefined, 'Leads')).toEqual({
      others: {},
      mapping: onLeads,
    });
  });

  it('forgets the sheets the workbook no longer has', () => {
    expect(sheetsStillThere({ Leads: onLeads, Old: onNotes }, ['Notes', 'Leads'])).toEqual({
      Leads: onLeads,
    });
  });
});
