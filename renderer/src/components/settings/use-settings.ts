// The settings screen's state: the file as loaded (with its revision), the editor's form, the
// validator's issues (checked as the editor types), saving, conflicts, and the live field check.
// The form is only ever replaced by what the editor asks for: a failed save keeps every edit.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FieldCheckResult, SettingsIssue, SettingsSaveResult, SettingsView } from '../../../../shared/contract.ts';
import { useBoard } from '../../store/context.ts';
import { draftFrom, formFrom, type SettingsForm } from './form.ts';
import { errorMessage } from '../../../../shared/error-message.ts';

const VALIDATE_DELAY_MS = 350;
const FIELD_CHECK_DELAY_MS = 800;

export type SaveOutcome =
  | { kind: 'saved'; applied: string[]; needsRestart: SettingsIssue[]; written: boolean }
  | { kind: 'invalid'; count: number }
  | { kind: 'conflict'; message: string; settings: SettingsView }
  | { kind: 'error'; message: string };

function formOf(view: SettingsView): SettingsForm {
  const shipped = {
    styles: new Set(Object.keys(view.defaults.prompt.houseStyles)),
    aliases: new Set(Object.keys(view.defaults.prompt.sectionAliases)),
  };
  return formFrom(view.saved ?? view.running, shipped);
}

export function useSettings() {
  const loadSettings = useBoard((s) => s.loadSettings);
  const validateSettings = useBoard((s) => s.validateSettings);
  const saveSettings = useBoard((s) => s.saveSettings);
  const checkSourceFields = useBoard((s) => s.checkSourceFields);

  const [view, setView] = useState<SettingsView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [baseline, setBaseline] = useState('');
  const [issues, setIssues] = useState<SettingsIssue[]>([]);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<SaveOutcome | null>(null);
  const [fieldCheck, setFieldCheck] = useState<FieldCheckResult | null>(null);
  const [checking, setChecking] = useState(false);
  const validation = useRef(0);
  const checkRun = useRef(0);

  const draft = useMemo(() => (form ? draftFrom(form) : null), [form]);
  const draftText = useMemo(() => JSON.stringify(draft), [draft]);
  const dirty = form !== null && draftText !== baseline;

  const adopt = useCallback((next: SettingsView) => {
    const nextForm = formOf(next);
    setView(next);
    setForm(nextForm);
    setBaseline(JSON.stringify(draftFrom(nextForm)));
    setIssues(next.fileIssues);
  }, []);

  const load = useCallback(() => {
    loadSettings().then(
      (next) => {
        adopt(next);
        setLoadError(null);
        setOutcome(null);
      },
      (error: unknown) => setLoadError(errorMessage(error)),
    );
  }, [loadSettings, adopt]);
  useEffect(load, [load]);

  // the validator runs as the editor types; only the newest answer counts
  useEffect(() => {
    if (!draft || !dirty) return;
    const id = ++validation.current;
    const timer = setTimeout(() => {
      validateSettings(draft).then(
        (found) => id === validation.current && setIssues(found),
        () => undefined, // a failed check is retried with the next edit; Save says what is wrong
      );
    }, VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, dirty, validateSettings]);

  const runFieldCheck = useCallback(() => {
    if (!draft?.source) return;
    const id = ++checkRun.current;
    setChecking(true);
    checkSourceFields(draft).then(
      (result) => {
        if (id !== checkRun.current) return;
        setFieldCheck(result);
        setChecking(false);
      },
      (error: unknown) => {
        if (id !== checkRun.current) return;
        setFieldCheck({ status: 'unavailable', message: `Could not check the fields: ${errorMessage(error)}. Check again in a moment` });
        setChecking(false);
      },
    );
  }, [draft, checkSourceFields]);

  // the datasheet is asked once when the screen opens, then again shortly after the mapping changes
  const sourceText = useMemo(() => JSON.stringify(draft?.source ?? null), [draft]);
  const lastChecked = useRef<string | null>(null);
  useEffect(() => {
    if (!draft?.source || sourceText === lastChecked.current) return;
    const first = lastChecked.current === null;
    const timer = setTimeout(
      () => {
        lastChecked.current = sourceText;
        runFieldCheck();
      },
      first ? 0 : FIELD_CHECK_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [sourceText, draft, runFieldCheck]);

  async function save(baseRevision: string | null = view?.revision ?? null): Promise<SettingsSaveResult | null> {
    if (!draft) return null;
    setSaving(true);
    validation.current += 1; // a check still on its way must not overwrite the save's answer
    try {
      const result = await saveSettings(draft, baseRevision);
      if (result.status === 'saved') {
        adopt(result.settings);
        setOutcome({ kind: 'saved', applied: result.applied, needsRestart: result.needsRestart, written: result.written });
      } else if (result.status === 'invalid') {
        setIssues(result.issues);
        setOutcome({ kind: 'invalid', count: result.issues.length });
      } else {
        setOutcome({ kind: 'conflict', message: result.message, settings: result.settings });
      }
      return result;
    } catch (error) {
      setOutcome({ kind: 'error', message: `Could not save: ${errorMessage(error)}. Your edits are still here; try again.` });
      return null;
    } finally {
      setSaving(false);
    }
  }

  return {
    view,
    loadError,
    form,
    setForm,
    issues,
    dirty,
    saving,
    outcome,
    fieldCheck,
    checking,
    load,
    save,
    runFieldCheck,
    /** After a conflict: drop the edits and show the file as it is now. */
    takeFileVersion(settings: SettingsView) {
      adopt(settings);
      setOutcome(null);
    },
    clearOutcome: () => setOutcome(null),
  };
}
