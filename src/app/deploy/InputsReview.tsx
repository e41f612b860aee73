import { inputsReview } from "../derive/inputs";

/** The review's part on the flake's inputs: locked on the leaf, pinned by the kept lock, and what moved since the last deployment. */
export function InputsReview({ instance, sent, deployed, updateInputs }: { instance: string; sent: string | undefined; deployed: Readonly<Record<string, string>> | null; updateInputs: boolean }) {
  const review = inputsReview(instance, sent, deployed, updateInputs);
  return (
    <div>
      <h3 className="font-medium">Inputs</h3>
      <p className="text-slate-700">{review.summary}</p>
      {review.changes.length > 0 && (
        <ul aria-label="Input changes" className="list-inside list-disc font-mono text-xs">
          {review.changes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
