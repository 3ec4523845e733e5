import { describe, expect, it } from 'vitest';
import { parseRrText } from '../src/hrv/index.ts';

describe('parseRrText', () => {
  it('reads one interval per line, with CRLF, blank lines and decimals', () => {
    expect(parseRrText('\uFEFF800\r\n810.5\r\n\r\n  790 \r\n')).toEqual({ rr: [800, 810.5, 790], lines: [1, 2, 4], format: 'list' });
  });

  it('skips a header naming the column in a one-column file', () => {
    expect(parseRrText('RR\n800\n810\n')).toEqual({ rr: [800, 810], lines: [2, 3], format: 'list' });
  });

  it("reads a CSV with an index column like systole's rr.txt", () => {
    expect(parseRrText(',rr\n0,992.0\n1,1016.0\n2,985.3333333333333\n').rr).toEqual([992, 1016, 985.3333333333333]);
  });

  it('finds the column case-insensitively among others, with semicolons and quotes', () => {
    const parsed = parseRrText('"time";"HR";"RR_ms"\n0;75;800\n0.8;74;"810"\n');
    expect(parsed).toEqual({ rr: [800, 810], lines: [2, 3], format: 'csv' });
  });

  it('reports the empty input, the non-numeric line and the missing column', () => {
    expect(() => parseRrText('')).toThrow(expect.objectContaining({ code: 'TL_ERR_TOO_FEW_SAMPLES' }));
    expect(() => parseRrText(' \n\n')).toThrow(expect.objectContaining({ code: 'TL_ERR_TOO_FEW_SAMPLES' }));
    expect(() => parseRrText('800\n810\nabc\n')).toThrow(expect.objectContaining({ code: 'TL_ERR_CSV_PARSE', detail: { line: 3 } }));
    expect(() => parseRrText('800\n8 10\n')).toThrow(expect.objectContaining({ code: 'TL_ERR_CSV_PARSE', detail: { line: 2 } }));
    expect(() => parseRrText('time,hr\n0,75\n')).toThrow(expect.objectContaining({ code: 'TL_ERR_CSV_PARSE', message: expect.stringMatching(/no RR column/) }));
    expect(() => parseRrText('t,rr\n0,800\n1\n')).toThrow(
      expect.objectContaining({ code: 'TL_ERR_CSV_PARSE', message: expect.stringMatching(/Line 3, column "rr": the value is missing/) }),
    );
  });

  it('reports negative, zero and absurd intervals with their line, and hints at seconds', () => {
    expect(() => parseRrText('800\n-810\n')).toThrow(expect.objectContaining({ code: 'TL_ERR_RR_INTERVAL', detail: { line: 2, value: -810 } }));
    expect(() => parseRrText('800\n0\n')).toThrow(expect.objectContaining({ code: 'TL_ERR_RR_INTERVAL', detail: { line: 2, value: 0 } }));
    expect(() => parseRrText('800\n60000\n')).toThrow(expect.objectContaining({ code: 'TL_ERR_RR_INTERVAL' }));
    expect(() => parseRrText('0.8\n0.81\n')).toThrow(expect.objectContaining({ code: 'TL_ERR_RR_INTERVAL', message: expect.stringMatching(/seconds/) }));
  });
});
