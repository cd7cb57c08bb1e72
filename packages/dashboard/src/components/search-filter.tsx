/** A search box above a paged list; `onSearch` gets each new text (reset the page there). */
export function SearchFilter({
  label = 'Search',
  value,
  onSearch,
}: {
  label?: string;
  value: string;
  onSearch: (text: string) => void;
}) {
  return (
    <div className="filters">
      <label>
        <span>{label}</span>
        <input type="search" value={value} onChange={(e) => onSearch(e.target.value)} />
      </label>
    </div>
  );
}
