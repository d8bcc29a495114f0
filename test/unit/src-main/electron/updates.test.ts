import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../../support/fake-electron'));

import * as fake from '../../../support/fake-electron';
import { createEventHub } from '../../../../src-main/core/events';
import { startUpdates, updateFeedUrl } from '../../../../src-main/electron/updates';

afterEach(() => {
  fake.app.isPackaged = false;
});

describe('update feed of the desktop app', () => {
  it('is ASSISTANT_UPDATES_URL when set, else /updates/ on the companion API in use, else none', () => {
    expect(updateFeedUrl({ ASSISTANT_UPDATES_URL: 'https://maj.cdg53.fr/depot/' }, 'https://depot.cdg53.fr')).toBe(
      'https://maj.cdg53.fr/depot/',
    );
    expect(updateFeedUrl({}, 'https://depot.cdg53.fr/')).toBe('https://depot.cdg53.fr/updates/');
    // Behind a sub-path, beside /api/v1 as the API client places it.
    expect(updateFeedUrl({}, 'https://cdg53.fr/depot')).toBe('https://cdg53.fr/depot/updates/');
    expect(updateFeedUrl({}, null)).toBeNull();
  });

  it('is never checked by an unpackaged app, nor without a feed (embedded demo)', async () => {
    const options = { busy: () => null, events: createEventHub(), log: { info: () => {}, warn: () => {}, error: () => {} } };
    expect(await startUpdates({ ...options, feedUrl: 'https://depot.cdg53.fr/updates/' })).toBeNull();
    fake.app.isPackaged = true;
    expect(await startUpdates({ ...options, feedUrl: null })).toBeNull();
  });
});
