import { describe, expect, it } from 'vitest';
import {
  isFormulaLike,
  neutraliseFormula,
  restoreNeutralised,
} from '../../../core/csv/formula-safety';
import { recogniseSluiceFile } from '../../../core/csv/sluice-files';

describe('neutraliseFormula', () => {
  it('marks only cells a spreadsheet would evaluate', () => {
    for (const formula of [
      '=1+1',
      '@SUM(1)',
      '\tx',
      '\rx',
      '+1-2',
      '-A1',
      '+',
      '-',
      '+1 773 555',
      '--1',
    ])
      expect([formula, neutraliseFormula(formula)]).toEqual([formula, `'${formula}`]);
    for (const value of ['+17735552000', '-12.5', '+.5', '-7', 'Ann', '', "O'Brien", '1+1', 'a=b'])
      expect([value, neutraliseFormula(value)]).toEqual([value, value]);
  });

  it('is undone on read-back, including marks older versions put on signed numbers', () => {
    for (const cell of ['=1+1', '@SUM(1)', '+1-2', '\tx']) {
      expect(restoreNeutralised(neutraliseFormula(cell))).toBe(cell);
      expect(isFormulaLike(cell)).toBe(true);
    }
    expect(restoreNeutralised("'+17735552000")).toBe('+17735552000');
    expect(restoreNeutralised("'-12")).toBe('-12');
    // An apostrophe that Sluice never adds is the customer's data.
    expect(restoreNeutralised("'Tis")).toBe("'Tis");
    expect(restoreNeutralised("O'Brien")).toBe("O'Brien");
  });
});

describe('recogniseSluiceFile', () => {
  it('drops the Sluice columns of a rejects file wherever they were moved', () => {
    const reading = recogniseSluiceFile([
      'Id',
      'Sluice reasons',
      'Sluice row',
      'Name',
      'Sluice rules',
    ]);
    expect(reading?.kind).toBe('prepare-rejects');
    expect(reading?.header).toEqual(['Id', 'Name']);
    expect(reading?.restore(['C1', 'bad', '7', "'=x", 'phone'])).toEqual(['C1', '=x']);
    // A short row stays short; cells past the header are kept for the shape check.
    expect(reading?.restore(['C1', 'bad', '7'])).toEqual(['C1']);
    expect(reading?.restore(['C1', 'bad', '7', 'Ann', 'phone', 'extra'])).toEqual([
      'C1',
      'Ann',
      'extra',
    ]);
  });

  it("recognises a run's failed-rows export and nothing else", () => {
    const header = ['row', 'contactId', 'reason', 'status', 'code', 'correlationId', 'Phone'];
    const reading = recogniseSluiceFile(header);
    expect(reading?.kind).toBe('run-rows');
    expect(reading?.restore(['4', 'C1', 'bad', '400', 'x', 'abc', "'+1212"])).toEqual(['+1212']);
    expect(recogniseSluiceFile(['Id', 'row', 'reason', 'Phone'])).toBeUndefined();
    expect(recogniseSluiceFile(['Id', 'Sluice row', 'Phone'])).toBeUndefined();
  });
});
