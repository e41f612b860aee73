import { Component, type ErrorInfo, type ReactNode } from "react";
import { messageOf } from "../../core/errors";
import { Dialog } from "./Dialog";

interface Props {
  /** What the panel is, as the person knows it: "Canvas", "Deployment", "History of cim-a". */
  name: string;
  /** The way out besides trying again: closing the panel or dialog, when it can be closed. */
  onClose?: () => void;
  /** A dialog's failure is shown in a dialog of the same name, so focus and Escape still work. */
  dialog?: boolean;
  /** Where the message sits: the panel's own box, so the layout around it stays as it was. */
  className?: string;
  children: ReactNode;
}

/**
 * One panel's failure stays that panel's: a render error in it shows what went wrong and a way
 * back (Try again, Close) in its place, and the rest of the page keeps working. Without it
 * React unmounts the whole page on any render error, leaving it blank.
 */
export class PanelBoundary extends Component<Props, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error };
  }

  /** Closing starts afresh: the panel, opened again, renders anew rather than showing this message. */
  private readonly close = (): void => {
    this.setState({ error: null });
    this.props.onClose?.();
  };

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The console keeps the stack for a bug report; the panel says it in words.
    console.error(`Alchemist: the ${this.props.name} panel failed:`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    const { name, onClose, dialog, className, children } = this.props;
    if (error === null) return children;
    const message = (
      <div role="alert" aria-label={`${name} failed`} className={dialog ? "text-sm" : `overflow-auto bg-red-50 p-3 text-sm text-red-900 ${className ?? ""}`}>
        <p>
          <strong>{name} could not be shown:</strong> {messageOf(error)}
        </p>
        <p className="mt-1 text-xs">The rest of Alchemist still works; the console has the details.</p>
        <div className="mt-2 flex gap-2">
          <button type="button" className="rounded border border-red-300 bg-white px-2 py-1 text-sm hover:bg-red-100" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
          {onClose && !dialog && (
            <button type="button" className="rounded border border-red-300 bg-white px-2 py-1 text-sm hover:bg-red-100" onClick={this.close}>
              Close
            </button>
          )}
        </div>
      </div>
    );
    return dialog && onClose ? (
      <Dialog title={name} onClose={this.close}>
        {message}
      </Dialog>
    ) : (
      message
    );
  }
}
