import { LitElement, css, html, nothing } from 'lit';
import { ingestFile, ingestImageUrl, ingestStatus, type IngestOutcome } from './api';
import { describeError, shared } from './ui';

/** One thing the merchandiser sent, followed until it is indexed, failed or refused. */
interface Submission {
  externalId: string;
  title: string;
  state: 'sending' | 'queued' | 'received' | 'indexed' | 'failed' | 'refused' | 'unchanged';
  id?: string;
  message?: string;
}

const FINAL = new Set<Submission['state']>(['indexed', 'failed', 'refused']);
const POLL_MS = 1_000;

/** `summer-dress.jpg` → `summer dress`; a URL → its last path segment, decoded. */
function titleOf(name: string): string {
  let base = name;
  try {
    base = decodeURIComponent(new URL(name).pathname.split('/').filter(Boolean).pop() ?? name);
  } catch {
    // not a URL: a file name
  }
  return (
    base
      .replace(/\.[a-z0-9]{2,5}$/i, '')
      .replace(/[-_]+/g, ' ')
      .trim()
      .slice(0, 200) || 'Untitled'
  );
}

/** Ingest page: paste image URLs or drop photos; each row shows its live status until indexed. */
export class IngestView extends LitElement {
  static override styles = [
    shared,
    css`
      .drop {
        border: 2px dashed #c7c7cc;
        border-radius: 8px;
        padding: 28px;
        text-align: center;
        margin: 12px 0;
      }
      .drop.over {
        border-color: #1d1d1f;
        background: #f5f5f7;
      }
      textarea {
        width: 100%;
        min-height: 90px;
        font:
          13px/1.4 ui-monospace,
          monospace;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        margin-top: 16px;
      }
      td,
      th {
        text-align: left;
        padding: 6px 8px;
        border-bottom: 1px solid #eee;
      }
      .state-indexed {
        color: #1a7f37;
      }
      .state-failed,
      .state-refused {
        color: #b00020;
      }
    `,
  ];
  static override properties = {
    submissions: { state: true },
    over: { state: true },
    error: { state: true },
  };
  submissions: Submission[] = [];
  over = false;
  error = '';
  private timer: number | undefined;
  private readonly batch = Date.now().toString(36);
  private counter = 0;

  override disconnectedCallback(): void {
    window.clearTimeout(this.timer);
    super.disconnectedCallback();
  }

  private category(): string | undefined {
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[name=category]');
    return input?.value.trim() || undefined;
  }

  private nextId(): string {
    return `dashboard-${this.batch}-${++this.counter}`;
  }

  private patch(externalId: string, change: Partial<Submission>): void {
    this.submissions = this.submissions.map((s) => (s.externalId === externalId ? { ...s, ...change } : s));
  }

  private async send(entries: { title: string; send: (externalId: string) => Promise<IngestOutcome> }[]) {
    this.error = '';
    const started = entries.map((e) => ({ ...e, externalId: this.nextId() }));
    this.submissions = [
      ...started.map((e): Submission => ({ externalId: e.externalId, title: e.title, state: 'sending' })),
      ...this.submissions,
    ];
    // A few at a time: the answer of each one is what the row shows.
    const queue = [...started];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let e = queue.shift(); e; e = queue.shift()) {
          try {
            const answer = await e.send(e.externalId);
            this.patch(
              e.externalId,
              answer.outcome === 'rejected'
                ? { state: 'refused', message: answer.message ?? 'refused' }
                : {
                    state: answer.outcome === 'unchanged' ? 'unchanged' : 'queued',
                    ...(answer.id ? { id: answer.id } : {}),
                  },
            );
          } catch (error) {
            this.patch(e.externalId, { state: 'refused', message: describeError(error) });
          }
        }
      }),
    );
    this.poll();
  }

  /** Follows every unfinished submission until it is indexed or failed. */
  private poll(): void {
    window.clearTimeout(this.timer);
    const open = this.submissions.filter((s) => !FINAL.has(s.state) && s.state !== 'sending');
    if (open.length === 0) return;
    this.timer = window.setTimeout(() => {
      void Promise.all(
        open.map(async (s) => {
          try {
            const status = await ingestStatus(s.externalId);
            this.patch(s.externalId, {
              id: status.id,
              state: status.status as Submission['state'],
              ...(status.failureReason ? { message: status.failureReason } : {}),
            });
          } catch (error) {
            this.patch(s.externalId, { message: describeError(error) });
          }
        }),
      ).then(() => this.poll());
    }, POLL_MS);
  }

  private readonly sendUrls = (event: Event): void => {
    event.preventDefault();
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea')!;
    const urls = area.value
      .split(/\s+/)
      .map((u) => u.trim())
      .filter(Boolean);
    if (urls.length === 0) {
      this.error = 'Paste at least one http(s) image URL, one per line.';
      return;
    }
    area.value = '';
    const category = this.category();
    void this.send(
      urls.map((imageUrl) => ({
        title: titleOf(imageUrl),
        send: (externalId) =>
          ingestImageUrl({
            externalId,
            title: titleOf(imageUrl),
            imageUrl,
            ...(category ? { category } : {}),
          }),
      })),
    );
  };

  private sendFiles(files: FileList | null): void {
    const photos = [...(files ?? [])];
    if (photos.length === 0) return;
    const category = this.category();
    void this.send(
      photos.map((file) => ({
        title: titleOf(file.name),
        send: (externalId) =>
          ingestFile(file, { externalId, title: titleOf(file.name), ...(category ? { category } : {}) }),
      })),
    );
  }

  private readonly onDrop = (event: DragEvent): void => {
    event.preventDefault();
    this.over = false;
    this.sendFiles(event.dataTransfer?.files ?? null);
  };

  override render() {
    const done = this.submissions.filter((s) => s.state === 'indexed').length;
    return html`
      <h2>Add items</h2>
      <p class="muted">
        Photos go through the ingest API like any client's: checked, normalized, de-duplicated, queued, then
        embedded and tagged. Each row follows its item until it is indexed.
      </p>
      <label>Category for these items (optional) <input name="category" placeholder="e.g. shoes" /></label>
      <div
        class="drop ${this.over ? 'over' : ''}"
        @dragover=${(e: DragEvent) => {
          e.preventDefault();
          this.over = true;
        }}
        @dragleave=${() => (this.over = false)}
        @drop=${this.onDrop}
      >
        Drop photos here, or
        <input
          type="file"
          accept="image/*"
          multiple
          aria-label="Photos to ingest"
          @change=${(e: Event) => this.sendFiles((e.target as HTMLInputElement).files)}
        />
      </div>
      <form @submit=${this.sendUrls}>
        <textarea
          aria-label="Image URLs"
          placeholder="https://shop.example.com/images/red-shoe.jpg"
        ></textarea>
        <button type="submit">Send URLs</button>
      </form>
      ${this.error ? html`<p class="error">${this.error}</p>` : nothing}
      ${
        this.submissions.length
          ? html`<p class="muted" data-progress>${done} of ${this.submissions.length} indexed</p>
              <table>
                <thead>
                  <tr>
                    <th>Title</th>
                    <th>Id</th>
                    <th>Status</th>
                  </tr>
                </thead>
                <tbody>
                  ${this.submissions.map(
                    (s) =>
                      html`<tr data-external-id=${s.externalId}>
                        <td>
                          ${s.id && s.state === 'indexed' ? html`<a href="#/item/${s.id}">${s.title}</a>` : s.title}
                        </td>
                        <td class="muted">${s.externalId}</td>
                        <td class="state-${s.state}" data-state=${s.state}>
                          ${s.state}${s.message ? html` — <span class="muted">${s.message}</span>` : nothing}
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
          : nothing
      }
    `;
  }
}

customElements.define('ingest-view', IngestView);
