import type { Rule } from '@vexil/core';
import { useState } from 'react';
import { rebaseIssues } from '../../api/errors.js';
import { useApi } from '../../auth/auth-context.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { describeCondition } from '../../lib/flag.js';
import type { EnvSectionProps } from './flag-context.js';
import { RuleForm } from './rule-form.js';
import { ServeView } from './serve-editor.js';

/** The ordered rules: read them, add, edit, move and remove. */
export function RulesSection(
  props: EnvSectionProps & { rules: readonly Rule[]; inherited: boolean; segments: readonly string[] },
) {
  const api = useApi();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | undefined>();
  const { rules } = props;
  const idOf = (rule: Rule, i: number) => rule.id ?? String(i);

  return (
    <section className="section" aria-labelledby="rules-title">
      <div className="card-head">
        <h3 id="rules-title">
          Rules <span className="muted small">checked in order; the first that matches serves</span>
        </h3>
        <button type="button" onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
          Add rule
        </button>
      </div>
      {props.inherited && rules.length > 0 && (
        <p className="muted small">
          Inherited from the flag’s settings for every environment; a change here applies to{' '}
          {props.environment} only.
        </p>
      )}
      {rules.length === 0 && !adding && <p className="muted">No rules: everyone gets the default.</p>}
      <ol className="rules">
        {rules.map((rule, i) => {
          const id = idOf(rule, i);
          return (
            <li key={id} className="rule" aria-label={`Rule ${i + 1}: ${rule.description ?? id}`}>
              <div className="rule-head">
                <span className="rule-index">{i + 1}</span>
                <code className="rule-id">{id}</code>
                {rule.description !== undefined && <span>{rule.description}</span>}
                <span className="spacer" />
                <button
                  type="button"
                  className="icon"
                  aria-label={`Move rule ${id} up`}
                  disabled={i === 0 || props.busy}
                  onClick={() =>
                    void props.write((v) => api.env.moveRule(props.target, v, id, i - 1), `Moved ${id} up`)
                  }
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="icon"
                  aria-label={`Move rule ${id} down`}
                  disabled={i === rules.length - 1 || props.busy}
                  onClick={() =>
                    void props.write((v) => api.env.moveRule(props.target, v, id, i + 1), `Moved ${id} down`)
                  }
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="link"
                  onClick={() => setEditing(editing === id ? undefined : id)}
                >
                  Edit
                </button>
                <ConfirmButton
                  className="link danger-text"
                  question={`Remove rule ${id}?`}
                  confirmLabel="Remove"
                  onConfirm={async () =>
                    void (await props.write(
                      (v) => api.env.removeRule(props.target, v, id),
                      `Rule ${id} removed`,
                    ))
                  }
                >
                  Remove
                </ConfirmButton>
              </div>
              {editing === id ? (
                <RuleForm
                  flag={props.flag}
                  idPrefix={`rule-${i}`}
                  initial={rule}
                  path=""
                  segments={props.segments}
                  busy={props.busy}
                  submitLabel="Save rule"
                  onCancel={() => setEditing(undefined)}
                  onSubmit={async (next) => {
                    const failure = await props.write(
                      (v) => api.env.updateRule(props.target, v, id, next),
                      `Rule ${id} saved`,
                    );
                    if (failure === undefined) setEditing(undefined);
                    return rebaseIssues(failure, `environments.${props.environment}.rules[${i}]`, '');
                  }}
                />
              ) : (
                <div className="rule-body">
                  <div className="when">
                    <span className="kw">if</span>
                    {rule.conditions.length === 0 ? (
                      <span className="muted">always</span>
                    ) : (
                      rule.conditions.map((c, j) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: conditions of a rule keep their order
                        <span key={j} className="cond">
                          {j > 0 && <span className="kw">and</span>}
                          <code>{describeCondition(c)}</code>
                        </span>
                      ))
                    )}
                  </div>
                  <div className="then">
                    <span className="kw">serve</span>
                    <ServeView serve={rule.serve} title={`Rule ${id} split`} />
                  </div>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {adding && (
        <RuleForm
          flag={props.flag}
          idPrefix="new-rule"
          path="rule"
          segments={props.segments}
          busy={props.busy}
          submitLabel="Add rule"
          onCancel={() => setAdding(false)}
          onSubmit={async (rule) => {
            const failure = await props.write((v) => api.env.addRule(props.target, v, rule), 'Rule added');
            if (failure === undefined) setAdding(false);
            return rebaseIssues(failure, `environments.${props.environment}.rules[${rules.length}]`, 'rule');
          }}
        />
      )}
    </section>
  );
}
