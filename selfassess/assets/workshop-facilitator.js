// The lead's controls: keyboard shortcuts (n next, p previous, r reveal, v new round), the vote
// count and countdown updating as the room votes. If another window moved the session on, reload.
const screen = document.getElementById("facilitator");

if (screen) {
  const statusUrl = screen.dataset.statusUrl;
  const step = screen.dataset.step;

  // Single-letter shortcuts can be turned off (WCAG 2.1.4), remembered in this browser.
  const toggle = document.getElementById("shortcuts-on");
  const STORE = "selfassess.workshop.shortcuts";
  if (toggle) {
    toggle.checked = window.localStorage.getItem(STORE) !== "off";
    toggle.addEventListener("change", () => {
      window.localStorage.setItem(STORE, toggle.checked ? "on" : "off");
    });
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || (toggle && !toggle.checked)) {
      return;
    }
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) {
      return;
    }
    const button = screen.querySelector(`[data-shortcut="${event.key.toLowerCase()}"]`);
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
  // Says the shortcuts are listening (a page reloaded after a move takes a moment to get here).
  screen.dataset.shortcuts = "ready";

  let stateTag = null;

  const poll = async () => {
    try {
      const response = await fetch(statusUrl, {
        cache: "no-store",
        credentials: "same-origin",
        // The last state's ETag: "304 Not Modified", with no body, while nothing has changed.
        headers: stateTag
          ? { Accept: "application/json", "If-None-Match": stateTag }
          : { Accept: "application/json" },
      });
      if (response.status === 200) {
        stateTag = response.headers.get("ETag");
        const state = await response.json();
        if (String(state.step) !== step) {
          window.location.reload();
          return;
        }
        const votes = document.getElementById("vote-count");
        if (votes && votes.textContent !== state.votes_text) {
          votes.textContent = state.votes_text;
        }
        const voted = document.getElementById("voted-count");
        if (voted && voted.textContent !== `(${state.voted_text})`) {
          voted.textContent = `(${state.voted_text})`;
        }
        if (state.seconds_left !== null && state.seconds_left !== undefined) {
          secondsLeft = state.seconds_left;
        }
        const joined = document.getElementById("joined-count");
        if (joined && joined.textContent !== state.joined_text) {
          joined.textContent = state.joined_text;
        }
      }
    } catch (error) {
      // Try again on the next tick.
    }
    window.setTimeout(poll, 1000);
  };

  // The question's countdown, when the session has one: it only informs.
  const countdown = document.getElementById("countdown");
  let secondsLeft = countdown ? Number(countdown.dataset.secondsLeft) : null;
  if (countdown) {
    window.setInterval(() => {
      if (secondsLeft > 0) {
        secondsLeft -= 1;
      }
      const clock = `${Math.floor(secondsLeft / 60)}:${String(secondsLeft % 60).padStart(2, "0")}`;
      // The words are the page's own, in its language (data-time-left holds "{clock}").
      const { timeLeft, timeUp } = countdown.dataset;
      countdown.textContent = secondsLeft > 0 ? timeLeft.replace("{clock}", clock) : timeUp;
    }, 1000);
  }

  window.setTimeout(poll, 1000);
}
