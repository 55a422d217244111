// The task pane: inputs (ranges from the selection, columns, options), preview, run with progress and cancel,
// the engine backend, and every failure as a MessageBar by the buttons. Gets all Excel/engine work as `actions`
// (callbacks). Opening the pane writes nothing to the workbook: the scheme is saved when the user changes it
// or runs, so Excel never asks to save a file the user only looked at.
import { Divider, Subtitle2, Text, makeStyles } from "@fluentui/react-components";
import { useCallback, useEffect, useRef, useState } from "react";
import type { BackendInfo } from "../../engine/contract";
import type { PaneActions } from "../actions";
import type { AdviseForm, AdviseOutcome } from "../advise";
import type { DraftOutcome } from "../draft";
import { shownError, type ShownError } from "../errors";
import { emptyScheme, type SavedScheme } from "../saved-scheme";
import type { ReplaceAnswer, ReplaceQuestion } from "../excel/weight-column";
import type { PreviewModel } from "../preview-model";
import type { Progress, RunOutcome } from "../run";
import { AdvisorPanel } from "./AdvisorPanel";
import { BackendBadge } from "./BackendBadge";
import { ColumnsForm } from "./ColumnsForm";
import { ConfirmReplace } from "./ConfirmReplace";
import { DraftButton } from "./DraftButton";
import { ErrorBar } from "./ErrorBar";
import { OptionsForm } from "./OptionsForm";
import { Preview } from "./Preview";
import { RangePicker } from "./RangePicker";
import { RunPanel } from "./RunPanel";

type Busy = "preview" | "run" | "draft" | "advise" | null;

const useStyles = makeStyles({
  pane: { padding: "12px", display: "flex", flexDirection: "column", gap: "10px" },
});

function useBackend(actions: PaneActions): { info: BackendInfo | null; error: string | null } {
  const [state, setState] = useState<{ info: BackendInfo | null; error: string | null }>({ info: null, error: null });
  useEffect(() => {
    actions.backend().then(
      (info) => setState({ info, error: null }),
      (e: unknown) => setState({ info: null, error: e instanceof Error ? e.message : String(e) }),
    );
  }, [actions]);
  return state;
}

/** A question to the user answered through the dialog: the promise resolves when a button is pressed. */
function useConfirm(): {
  question: ReplaceQuestion | null;
  ask: (q: ReplaceQuestion) => Promise<ReplaceAnswer>;
  answer: (a: ReplaceAnswer) => void;
} {
  const [question, setQuestion] = useState<ReplaceQuestion | null>(null);
  const resolver = useRef<((a: ReplaceAnswer) => void) | null>(null);
  const ask = useCallback(
    (q: ReplaceQuestion) =>
      new Promise<ReplaceAnswer>((resolve) => {
        resolver.current = resolve;
        setQuestion(q);
      }),
    [],
  );
  const answer = useCallback((a: ReplaceAnswer) => {
    setQuestion(null);
    resolver.current?.(a);
    resolver.current = null;
  }, []);
  return { question, ask, answer };
}

/** The scheme as edited, saved in the workbook (debounced) after the user's first change, never on opening. */
function useSavedScheme(
  actions: PaneActions,
  onSaveError: (e: unknown) => void,
): [SavedScheme, (patch: Partial<SavedScheme>) => void] {
  const [state, setState] = useState(() => ({ scheme: actions.loadScheme() ?? emptyScheme(), edited: false }));
  const edit = useCallback((patch: Partial<SavedScheme>) => {
    setState((s) => ({ scheme: { ...s.scheme, ...patch }, edited: true }));
  }, []);
  useEffect(() => {
    if (!state.edited) return;
    const timer = setTimeout(() => actions.saveScheme(state.scheme).catch(onSaveError), 600);
    return () => clearTimeout(timer);
  }, [actions, state, onSaveError]);
  return [state.scheme, edit];
}

export function App({ actions }: { actions: PaneActions }) {
  const styles = useStyles();
  const [headers, setHeaders] = useState<string[]>([]);
  const [preview, setPreview] = useState<PreviewModel | null>(null);
  const [outcome, setOutcome] = useState<RunOutcome | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const showError = useCallback((e: unknown) => setError(shownError(e)), []);
  const [scheme, edit] = useSavedScheme(actions, showError);
  const [busy, setBusy] = useState<Busy>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [drafted, setDrafted] = useState<DraftOutcome | null>(null);
  const [advice, setAdvice] = useState<AdviseOutcome | null>(null);
  const abort = useRef<AbortController | null>(null);
  const backend = useBackend(actions);
  const confirm = useConfirm();

  const update = useCallback(
    (patch: Partial<SavedScheme>) => {
      edit(patch);
      setPreview(null);
    },
    [edit],
  );

  // Header names for the column pickers whenever the data range changes (none without a range).
  useEffect(() => {
    if (scheme.dataAddress) actions.readHeaders(scheme.dataAddress).then(setHeaders, () => setHeaders([]));
  }, [actions, scheme.dataAddress]);
  const columnNames = scheme.dataAddress ? headers : [];

  const guard = useCallback(
    async (task: () => Promise<void>) => {
      setError(null);
      try {
        await task();
      } catch (e) {
        showError(e);
      }
    },
    [showError],
  );

  const fromSelection = (key: "dataAddress" | "targetsAddress" | "sharesAddress") => () =>
    guard(async () => update({ [key]: await actions.selectedAddress() }));
  const columnFromSelection = (key: "baseColumn" | "groupColumn") => () =>
    guard(async () => update({ [key]: await actions.selectedColumnName(scheme.dataAddress) }));

  const start = async (
    kind: Exclude<Busy, null>,
    work: (c: { signal: AbortSignal; onProgress: (p: Progress) => void }) => Promise<void>,
  ) => {
    const controller = new AbortController();
    abort.current = controller;
    setBusy(kind);
    setProgress(null);
    await guard(() => work({ signal: controller.signal, onProgress: setProgress }));
    setBusy(null);
    abort.current = null;
  };

  const onPreview = () => start("preview", async (c) => setPreview(await actions.preview(scheme, c)));
  const onRun = () =>
    start("run", async (c) => {
      await actions.saveScheme(scheme);
      setOutcome(null);
      const result = await actions.run(scheme, { ...c, confirmReplace: confirm.ask });
      setOutcome(result);
      if (result.warnings.length) setError({ intent: "warning", message: result.warnings.join(" ") });
    });

  const onDraft = (variables: string) =>
    start("draft", async (c) => {
      const { dataAddress, options } = scheme;
      const out = await actions.draft({ dataAddress, variables, missing: options.missing, signal: c.signal });
      update({ targetsAddress: out.tableAddress });
      setDrafted(out);
    });
  const onAdvise = (form: AdviseForm) =>
    start("advise", async (c) => {
      setAdvice(null);
      setAdvice(await actions.advise(scheme, form, c));
    });

  return (
    <div className={styles.pane}>
      <Subtitle2>RIM weighting</Subtitle2>
      <BackendBadge info={backend.info} error={backend.error} />
      <RangePicker
        label="Respondent data"
        hint="Header row and one row per respondent."
        address={scheme.dataAddress}
        onChange={(a) => update({ dataAddress: a })}
        onUseSelection={fromSelection("dataAddress")}
        busy={busy !== null}
      />
      <RangePicker
        label="Target table"
        hint="variable | category | target [| group]; %, proportions or counts."
        address={scheme.targetsAddress}
        onChange={(a) => update({ targetsAddress: a })}
        onUseSelection={fromSelection("targetsAddress")}
        busy={busy !== null}
      />
      <ColumnsForm
        headers={columnNames}
        variables={scheme.variables}
        baseColumn={scheme.baseColumn}
        groupColumn={scheme.groupColumn}
        onVariables={(variables) => update({ variables })}
        onBase={(baseColumn) => update({ baseColumn })}
        onGroup={(groupColumn) => update({ groupColumn })}
        onBaseFromSelection={columnFromSelection("baseColumn")}
        onGroupFromSelection={columnFromSelection("groupColumn")}
      />
      {scheme.groupColumn ? (
        <RangePicker
          optional
          label="Group shares"
          hint="label | share per group; leave empty to keep each group's share of the sample."
          address={scheme.sharesAddress}
          onChange={(a) => update({ sharesAddress: a })}
          onUseSelection={fromSelection("sharesAddress")}
          busy={busy !== null}
        />
      ) : null}
      <DraftButton chosen={scheme.variables} disabled={busy !== null} drafted={drafted} onDraft={onDraft} />
      <Divider>Options</Divider>
      <OptionsForm
        options={scheme.options}
        weightHeader={scheme.weightHeader}
        onOptions={(options) => update({ options })}
        onWeightHeader={(weightHeader) => update({ weightHeader })}
      />
      <Divider />
      <RunPanel
        busy={busy}
        progress={progress}
        outcome={outcome}
        onPreview={onPreview}
        onRun={onRun}
        onCancel={() => abort.current?.abort()}
      />
      <ErrorBar error={error} />
      <Divider>Advisor</Divider>
      <AdvisorPanel disabled={busy !== null} outcome={advice} onAdvise={onAdvise} />
      {preview ? (
        <Preview model={preview} />
      ) : busy === null && !outcome && !error ? (
        <Text size={200}>Check the scheme to see the variables, categories and targets before running.</Text>
      ) : null}
      <ConfirmReplace question={confirm.question} onAnswer={confirm.answer} />
    </div>
  );
}
