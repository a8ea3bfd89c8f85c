import { describe, expect, it } from 'vitest';
import { copyField } from './copy.ts';

describe('COPY text fields', () => {
  it('escapes backslash, tab and line breaks; writes null, booleans and arrays', () => {
    expect(copyField('{"a":"x\\\\y"}')).toBe('{"a":"x\\\\\\\\y"}');
    expect(copyField('a\tb\nc\rd')).toBe('a\\tb\\nc\\rd');
    expect(copyField('Журавлёв «Свет»')).toBe('Журавлёв «Свет»');
    expect(copyField(null)).toBe('\\N');
    expect(copyField(true)).toBe('t');
    expect(copyField([1, -2, 3])).toBe('{1,-2,3}');
    expect(copyField(42)).toBe('42');
  });
});
