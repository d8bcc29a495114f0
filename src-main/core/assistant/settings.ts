/** The settings on this computer, and what the server says before anyone logs in (its clock, its campaigns). */
import { AppError } from '../../../src-shared/errors';
import { updateSettings } from '../settings';
import type { AssistantContext, Handlers } from './context';

export function settingsHandlers(ctx: AssistantContext): Handlers<'getSettings' | 'updateSettings' | 'getServerTime' | 'listCampaigns'> {
  const { settings, api } = ctx;
  return {
    getServerTime: () => api.time(),
    listCampaigns: () => api.campaigns(),
    getSettings: async () => settings.read(),
    async updateSettings(patch) {
      // Counter mode is turned on or off behind a staff account only ("Réglages du guichet").
      if (patch.counterMode !== undefined && patch.counterMode !== settings.read().counterMode)
        throw new AppError('staff_code_required');
      return updateSettings(settings, patch);
    },
  };
}
