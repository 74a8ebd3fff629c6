// Input fields of the rekentool. Numbers are typed the Dutch way (comma) and kept as decimal strings with a
// point, as the model and the API expect; money is typed in euros and kept in cents.
import { useEffect, useState, type ReactNode } from 'react';
import { Dec } from '../../../src/tariffs/model.ts';

const DECIMAL = /^\d+([.,]\d+)?$/;

function Field({ id, label, hint, invalid, children }: { id: string; label: string; hint?: ReactNode; invalid?: boolean; children: ReactNode }) {
  return (
    <div className="rk-inline-field" data-invalid={invalid || undefined}>
      <label className="utrecht-form-label" htmlFor={id}>
        {label}
      </label>
      {children}
      {hint && (
        <span className="utrecht-form-field-description rk-muted" id={`${id}-hint`} style={{ fontSize: '0.85rem' }}>
          {hint}
        </span>
      )}
    </div>
  );
}

/** A decimal as text: shown with a comma, passed on with a point; empty gives undefined when `optional`. */
export function DecimalField({
  id,
  label,
  value,
  onChange,
  hint,
  optional,
  width = '7rem',
}: {
  id: string;
  label: string;
  value: string | undefined;
  onChange: (v: string | undefined) => void;
  hint?: ReactNode;
  optional?: boolean;
  width?: string;
}) {
  const shown = (value ?? '').replace('.', ',');
  const invalid = value !== undefined && value !== '' && !DECIMAL.test(value);
  return (
    <Field id={id} label={label} hint={hint} invalid={invalid || (!optional && !value)}>
      <input
        id={id}
        className="utrecht-textbox utrecht-textbox--html-input"
        inputMode="decimal"
        style={{ width }}
        value={shown}
        aria-invalid={invalid || (!optional && !value) ? true : undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => {
          const v = e.target.value.trim().replace(',', '.');
          onChange(v === '' && optional ? undefined : v);
        }}
      />
    </Field>
  );
}

/** A fraction (0.55) typed as a percentage (55), converted exactly. */
export function FractionField({
  id,
  label,
  value,
  onChange,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint?: ReactNode;
}) {
  const toPct = (f: string) => (DECIMAL.test(f) ? new Dec(f).times(100).toString() : f);
  const [text, setText] = useState(() => toPct(value));
  useEffect(() => {
    if (DECIMAL.test(value) && toPct(value) !== text.replace(',', '.')) setText(toPct(value));
  }, [value]);
  const invalid = !DECIMAL.test(text.replace(',', '.'));
  return (
    <Field id={id} label={label} hint={hint} invalid={invalid}>
      <input
        id={id}
        className="utrecht-textbox utrecht-textbox--html-input"
        inputMode="decimal"
        style={{ width: '6rem' }}
        value={text.replace('.', ',')}
        aria-invalid={invalid || undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => {
          const t = e.target.value.trim().replace(',', '.');
          setText(t);
          onChange(DECIMAL.test(t) ? new Dec(t).div(100).toString() : t || 'leeg');
        }}
      />
    </Field>
  );
}

/** Euros typed, cents kept. */
export function MoneyField({
  id,
  label,
  cents,
  onChange,
  hint,
}: {
  id: string;
  label: string;
  cents: number | undefined;
  onChange: (c: number) => void;
  hint?: ReactNode;
}) {
  const fmt = (c: number | undefined) => (c === undefined ? '' : (c / 100).toFixed(2).replace('.', ','));
  const [text, setText] = useState(() => fmt(cents));
  useEffect(() => {
    const parsed = parse(text);
    if (parsed !== cents) setText(fmt(cents));
  }, [cents]);
  const invalid = parse(text) === null;
  return (
    <Field id={id} label={label} hint={hint} invalid={invalid}>
      <span style={{ display: 'inline-flex', alignItems: 'center', gap: '0.25rem' }}>
        <span aria-hidden="true">€</span>
        <input
          id={id}
          className="utrecht-textbox utrecht-textbox--html-input"
          inputMode="decimal"
          style={{ width: '8rem' }}
          value={text}
          aria-invalid={invalid || undefined}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(e) => {
            setText(e.target.value);
            const c = parse(e.target.value);
            if (c !== null) onChange(c);
          }}
        />
      </span>
    </Field>
  );
}
function parse(text: string): number | null {
  const t = text.trim().replace(/\./g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  const [e, c = ''] = t.split('.');
  return Number(e) * 100 + Number(c.padEnd(2, '0'));
}

export function IntField({
  id,
  label,
  value,
  onChange,
  min = 0,
  max = 1000,
  hint,
}: {
  id: string;
  label: string;
  value: number | undefined;
  onChange: (n: number) => void;
  min?: number;
  max?: number;
  hint?: ReactNode;
}) {
  return (
    <Field id={id} label={label} hint={hint}>
      <input
        id={id}
        type="number"
        className="utrecht-textbox utrecht-textbox--html-input"
        style={{ width: '6rem' }}
        min={min}
        max={max}
        step={1}
        value={value ?? ''}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => {
          const n = Number(e.target.value);
          if (Number.isInteger(n)) onChange(n);
        }}
      />
    </Field>
  );
}

export function SelectField({
  id,
  label,
  value,
  onChange,
  options,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string }[];
  hint?: ReactNode;
}) {
  return (
    <Field id={id} label={label} hint={hint}>
      <select
        id={id}
        className="utrecht-select utrecht-select--html-select"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset
      className="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset"
      style={{ border: '1px solid var(--rk-border)', borderRadius: 6, padding: '0.75rem 1rem', margin: '0 0 1rem' }}
    >
      <legend className="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend" style={{ fontWeight: 700, padding: '0 0.25rem' }}>
        {legend}
      </legend>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.75rem 1.25rem', alignItems: 'flex-end' }}>{children}</div>
    </fieldset>
  );
}
