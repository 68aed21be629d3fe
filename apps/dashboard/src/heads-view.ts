import { LitElement, css, html, nothing } from 'lit';
import { gql } from './api';
import { describeError, shared } from './ui';

interface Scores {
  head: string;
  tagP1: number;
  tagP5: number;
  textR10: number;
  n: number;
}
interface Head {
  version: number;
  state: 'ACTIVE' | 'CANDIDATE' | 'RETIRED';
  labels: string[];
  createdAt: string;
  promotedAt: string | null;
  report: {
    trainItems: number;
    heldOutItems: number;
    decision: 'PROMOTED' | 'KEPT';
    reason: string;
    recomputed: number | null;
    unknownWords: string[];
    serving: Scores;
    candidate: Scores;
  };
}
interface Heads {
  serving: string;
  versions: Head[];
  training: {
    state: 'TRAINING' | 'DONE' | 'FAILED';
    version: number | null;
    decision: string | null;
    error: string | null;
    automatic: boolean;
  } | null;
}

const SCORES = 'head tagP1 tagP5 textR10 n';
const QUERY = `{ semanticHeads { serving training { state version decision error automatic }
  versions { version state labels createdAt promotedAt report { trainItems heldOutItems decision reason
    recomputed unknownWords serving { ${SCORES} } candidate { ${SCORES} } } } } }`;

const f = (x: number) => x.toFixed(2);

/**
 * The tenant's semantic head: which serves, each version's held-out report (its scores against
 * the head that served when it was trained) and decision; train a new one, roll back to one.
 */
export class HeadsView extends LitElement {
  static override styles = [
    shared,
    css`
      table {
        border-collapse: collapse;
        margin: 8px 0 16px;
      }
      td,
      th {
        border-bottom: 1px solid #e5e5ea;
        padding: 4px 10px;
        text-align: left;
      }
      .better {
        color: #1a7f37;
        font-weight: 600;
      }
      .worse {
        color: #b3261e;
      }
      .version {
        border: 1px solid #e5e5ea;
        border-radius: 8px;
        padding: 10px 14px;
        margin: 10px 0;
      }
      .version[data-state='ACTIVE'] {
        border-color: #1a7f37;
      }
    `,
  ];
  static override properties = { heads: { state: true }, error: { state: true }, busy: { state: true } };
  heads: Heads | undefined;
  error = '';
  busy = false;
  private poll: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    clearTimeout(this.poll);
    super.disconnectedCallback();
  }

  private async load(): Promise<void> {
    try {
      this.heads = (await gql<{ semanticHeads: Heads }>(QUERY)).semanticHeads;
      if (this.heads.training?.state === 'TRAINING') this.poll = setTimeout(() => void this.load(), 1000);
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private async act(query: string, variables: Record<string, unknown> = {}): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      await gql(query, variables);
    } catch (error) {
      this.error = describeError(error);
    } finally {
      this.busy = false;
      await this.load();
    }
  }

  private readonly train = () => this.act('mutation { trainSemanticHead { state } }');
  private readonly rollback = (version: number | null) =>
    this.act('mutation($v: Int) { rollbackSemanticHead(version: $v) { serving } }', { v: version });

  private scoreRow(name: string, candidate: number, serving: number) {
    const cls = candidate > serving ? 'better' : candidate < serving ? 'worse' : '';
    return html`<tr>
      <th>${name}</th>
      <td class=${cls} data-candidate=${name}>${f(candidate)}</td>
      <td>${f(serving)}</td>
    </tr>`;
  }

  private version(h: Head) {
    const r = h.report;
    return html`<section class="version" data-state=${h.state} data-version=${h.version}>
      <h3>v${h.version} · ${h.state.toLowerCase()} · ${new Date(h.createdAt).toLocaleString()}</h3>
      <p>
        <b data-decision>${r.decision === 'PROMOTED' ? 'Promoted' : 'Kept the head in service'}</b>:
        ${r.reason}${r.recomputed !== null ? html` · ${r.recomputed} items re-tagged` : nothing}
      </p>
      <p class="muted">
        trained on ${r.trainItems} items, judged on ${r.heldOutItems} held-out items · words:
        ${h.labels.join(', ')}${r.unknownWords.length ? html` · not learnable: ${r.unknownWords.join(', ')}` : nothing}
      </p>
      <table>
        <tr>
          <th></th>
          <th>v${h.version}</th>
          <th>${r.serving.head} (serving then)</th>
        </tr>
        ${this.scoreRow('tagP1', r.candidate.tagP1, r.serving.tagP1)}
        ${this.scoreRow('tagP5', r.candidate.tagP5, r.serving.tagP5)}
        ${this.scoreRow('textR10', r.candidate.textR10, r.serving.textR10)}
      </table>
      ${
        h.state === 'ACTIVE'
          ? nothing
          : html`<button ?disabled=${this.busy} @click=${() => this.rollback(h.version)}>
              Serve v${h.version}
            </button>`
      }
    </section>`;
  }

  override render() {
    const heads = this.heads;
    const training = heads?.training;
    return html`
      <h2>Semantic head</h2>
      <p>
        Tags and text search are computed by a semantic head. This catalog is served by
        <b data-serving>${heads?.serving ?? '…'}</b>. Training learns from your accepted, added and rejected
        tags and your feeds' categories, and promotes the new head only if it is not worse on items it was not
        trained on.
      </p>
      <button ?disabled=${this.busy || training?.state === 'TRAINING'} @click=${this.train}>
        Train from feedback
      </button>
      ${
        heads && !heads.serving.startsWith('tenant-')
          ? nothing
          : html`<button ?disabled=${this.busy} @click=${() => this.rollback(null)}>
              Back to the default head
            </button>`
      }
      ${
        training
          ? html`<p data-training=${training.state}>
              ${
                training.state === 'TRAINING'
                  ? 'Training…'
                  : training.state === 'FAILED'
                    ? html`<span class="error">${training.error}</span>`
                    : html`Trained v${training.version}: ${training.decision?.toLowerCase()}`
              }
              ${training.automatic ? html`<span class="muted">(started automatically)</span>` : nothing}
            </p>`
          : nothing
      }
      ${this.error ? html`<p class="error">${this.error}</p>` : nothing}
      ${heads?.versions.map((h) => this.version(h))}
    `;
  }
}

customElements.define('heads-view', HeadsView);
