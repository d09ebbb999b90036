// The required-reason part of the drawer's confirm dialogs (pull from readers, approve over a failed
// check): one textarea and the cancel / confirm pair, confirm disabled until a reason is written.

interface ReasonFieldsProps {
  /** data-testid prefix: `<prefix>-reason`, `<prefix>-cancel`, `<prefix>-confirm`. */
  testId: string;
  reason: string;
  onReason(reason: string): void;
  placeholder: string;
  busy: boolean;
  cancelLabel: string;
  onCancel(): void;
  confirmLabel: string;
  /** The confirm button's look: `danger` (pull) or `approve`. */
  confirmClass: string;
}

export function ReasonFields(props: ReasonFieldsProps) {
  const { testId, reason } = props;
  return (
    <>
      <label>
        Reason (required)
        <textarea
          data-testid={`${testId}-reason`}
          value={reason}
          maxLength={500}
          rows={3}
          placeholder={props.placeholder}
          autoFocus
          onChange={(event) => props.onReason(event.target.value)}
        />
      </label>
      <div className="dialog-actions">
        <button type="button" className="btn ghost" data-testid={`${testId}-cancel`} onClick={props.onCancel}>
          {props.cancelLabel}
        </button>
        <button
          type="submit"
          className={`btn ${props.confirmClass}`}
          data-testid={`${testId}-confirm`}
          disabled={props.busy || !reason.trim()}
        >
          {props.confirmLabel}
        </button>
      </div>
    </>
  );
}
