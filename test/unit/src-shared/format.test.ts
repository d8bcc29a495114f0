import { describe, expect, it } from 'vitest';
import { formatSize } from '../../../src-shared/format';

describe('formatSize', () => {
  it.each([
    [0, '1 Ko'],
    [1024, '1 Ko'],
    [1025, '2 Ko'],
    [1_048_575, '1024 Ko'],
    [1_572_864, '1,5 Mo'],
    [10_485_760, '10 Mo'],
    [12 * 1_048_576 + 1, '12 Mo'],
  ])('%i bytes read as « %s »', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});
