// The settings commands of the contract, for the core's dispatcher.
import type { CommandInput } from '../../../shared/contract.ts';
import type { SettingsService } from './service.ts';

export function settingsHandlers(settings: SettingsService) {
  return {
    settings: () => settings.read(),
    validateSettings: ({ draft }: CommandInput<'validateSettings'>) => ({ issues: settings.validate(draft) }),
    saveSettings: ({ draft, baseRevision }: CommandInput<'saveSettings'>) => settings.save(draft, baseRevision),
    checkSourceFields: ({ draft }: CommandInput<'checkSourceFields'>) => settings.checkSourceFields(draft),
    setupSolo: ({ setup, baseRevision }: CommandInput<'setupSolo'>) => settings.setup(setup, baseRevision),
  };
}
