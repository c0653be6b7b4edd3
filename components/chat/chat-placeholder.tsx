// What the chat column shows while its code loads: the same layout, with an inert composer.
export function ChatPlaceholder() {
  return (
    <div className="chat" aria-busy="true">
      <div className="scroller">
        <div className="empty" role="status">
          <p className="muted">Loading…</p>
        </div>
      </div>
      <div className="composer" aria-hidden="true">
        <div className="composer-box">
          <div className="composer-input composer-fake">Message the assistant…</div>
          <span className="icon-btn send-btn" style={{ opacity: 0.25 }} />
        </div>
        <div className="composer-foot" />
      </div>
    </div>
  );
}
