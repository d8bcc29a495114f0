/** The settings on this computer, and what the server says before anyone logs in (its clock, its campaigns). */
import { checkSettingsChange, type CounterState } from '../counter/settings-guard';
import { updateSettings } from '../settings';
import type { AssistantContext, Handlers } from './context';

export function settingsHandlers(
  ctx: AssistantContext,
  counterState: () => Promise<CounterState>,
): Handlers<'getSettings' | 'updateSettings' | 'getServerTime' | 'listCampaigns'> {
  const { settings, api } = ctx;
  return {
    getServerTime: () => api.time(),
    listCampaigns: () => api.campaigns(),
    getSettings: async () => settings.read(),
    async updateSettings(patch) {
      checkSettingsChange(patch, settings.read(), await counterState());
      return updateSettings(settings, patch);
    },
  };
}
