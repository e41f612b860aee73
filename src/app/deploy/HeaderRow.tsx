/** The header row of the deploy tables (leaves, history). */
export function HeaderRow({ columns }: { columns: readonly string[] }) {
  return (
    <thead className="text-slate-500">
      <tr>
        {columns.map((c, i) => (
          <th key={i} className="py-1">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}
