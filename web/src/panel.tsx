/** A titled section of the dashboard; its heading names it for screen readers. */
export function Panel(props: {
  id: string;
  title: string;
  wide?: boolean;
  actions?: preact.ComponentChildren;
  children: preact.ComponentChildren;
}) {
  return (
    <section class={`card panel${props.wide ? ' wide' : ''}`} aria-labelledby={`${props.id}-h`} id={props.id}>
      <div class="panel-head">
        <h2 id={`${props.id}-h`}>{props.title}</h2>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}

export function Empty({ children }: { children: preact.ComponentChildren }) {
  return <p class="muted">{children}</p>;
}

/** A table's header row; a name ending in "#" is a numeric column (right-aligned), shown without the mark. */
export function HeadRow({ cols }: { cols: readonly string[] }) {
  return (
    <thead>
      <tr>
        {cols.map((c) => (
          <th key={c} scope="col" class={c.endsWith('#') ? 'n' : undefined}>
            {c.replace(/#$/, '')}
          </th>
        ))}
      </tr>
    </thead>
  );
}
