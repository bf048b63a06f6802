import { readContactListSchema } from '../../../core/csv/schema';
import type { ContactListSchema } from '../../../core/csv/schema';

/** A contact list as GET /api/v2/outbound/contactlists/{id} returns it (with fields we ignore). */
export const CONTACT_LIST_JSON = {
  id: '7f3c9a54-0000-4000-8000-000000000001',
  name: 'Spring campaign',
  version: 3,
  dateCreated: '2024-02-01T10:00:00Z',
  division: { id: 'd1', name: 'Home', selfUri: '/api/v2/authorization/divisions/d1' },
  columnNames: [
    'CustomerId',
    'FirstName',
    'LastName',
    'MobilePhone',
    'HomePhone',
    'Email',
    'Balance',
    'DueDate',
  ],
  phoneColumns: [
    { columnName: 'MobilePhone', type: 'cell' },
    { columnName: 'HomePhone', type: 'home', callableTimeColumn: 'DueDate' },
  ],
  emailColumns: [{ columnName: 'Email', type: 'work' }],
  columnDataTypeSpecifications: [
    { columnName: 'Balance', columnDataType: 'NUMERIC', min: 0, max: 100000 },
    { columnName: 'DueDate', columnDataType: 'TIMESTAMP' },
    { columnName: 'FirstName', columnDataType: 'TEXT', maxLength: 40 },
  ],
  previewModeColumnName: '',
  automaticTimeZoneMapping: false,
  trimWhitespace: true,
  size: 0,
  selfUri: '/api/v2/outbound/contactlists/7f3c9a54-0000-4000-8000-000000000001',
};

/** The schema above, validated. */
export function testSchema(): ContactListSchema {
  return readContactListSchema(CONTACT_LIST_JSON);
}
