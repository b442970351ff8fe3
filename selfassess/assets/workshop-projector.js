// The projector view follows the board: it polls the workshop's small state every second and,
// when the lead has moved (the step changed), fetches its panel again; the "n of m have
// voted" count and the countdown change in place. The lead can drive it from this keyboard:
// N next, P previous, R reveal, V a new round (vote again), F full screen.
const screen = document.getElementById("projector");

if (screen) {
  const { statusUrl, panelUrl, moveUrl, csrf } = screen.dataset;
  const currentStep = () => screen.querySelector("[data-step]")?.dataset.step;
  const problem = document.getElementById("projector-problem");
  let secondsLeft = null;

  const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;

  // Every word shown comes from the page, in its language (or in each of its two languages):
  // each element with data-time-left ("Time left {clock}") and data-time-up says the countdown.
  const showCountdown = () => {
    const countdown = document.getElementById("countdown");
    if (!countdown || secondsLeft === null) {
      return;
    }
    countdown.querySelectorAll("[data-time-left]").forEach((part) => {
      const words =
        secondsLeft > 0
          ? part.dataset.timeLeft.replace("{clock}", clock(secondsLeft))
          : part.dataset.timeUp;
      if (part.textContent !== words) {
        part.textContent = words;
      }
    });
  };

  const readCountdown = () => {
    const countdown = document.getElementById("countdown");
    secondsLeft = countdown ? Number(countdown.dataset.secondsLeft) : null;
  };

  const reloadPanel = async () => {
    const response = await fetch(panelUrl, { cache: "no-store", credentials: "same-origin" });
    if (response.ok) {
      screen.innerHTML = await response.text();
      // The tab's title follows the board, for whoever switches to it.
      const title = screen.querySelector("[data-title]")?.dataset.title;
      if (title) {
        document.title = title;
      }
      readCountdown();
    }
  };

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
        if (String(state.step) !== currentStep()) {
          await reloadPanel();
        } else {
          const count = document.getElementById("voted-count");
          // "n of m have voted", worked out by the service in each language the screen shows.
          const parts = count ? count.querySelectorAll("[data-text-lang]") : [];
          if (parts.length) {
            parts.forEach((part) => {
              const words = (state.voted_texts || {})[part.dataset.textLang];
              if (words && part.textContent !== words) {
                part.textContent = words;
              }
            });
          } else if (count && count.textContent !== state.voted_text) {
            count.textContent = state.voted_text;
          }
          if (state.seconds_left !== null && state.seconds_left !== undefined) {
            secondsLeft = state.seconds_left;
          }
        }
        if (state.status !== "live") {
          return;
        }
      }
    } catch (error) {
      // A dropped connection: try again on the next tick.
    }
    window.setTimeout(poll, 1000);
  };

  // Single-letter shortcuts can be turned off (WCAG 2.1.4), remembered in this browser.
  const STORE = "selfassess.projector.shortcuts";
  const toggle = document.getElementById("shortcuts-toggle");
  const shortcutsOn = () => window.localStorage.getItem(STORE) !== "off";
  const showToggle = () => {
    toggle.setAttribute("aria-pressed", String(shortcutsOn()));
    toggle.textContent = shortcutsOn() ? toggle.dataset.on : toggle.dataset.off;
  };
  if (toggle) {
    showToggle();
    toggle.addEventListener("click", () => {
      window.localStorage.setItem(STORE, shortcutsOn() ? "off" : "on");
      showToggle();
    });
  }

  const MOVES = { n: "next", p: "previous", r: "reveal", v: "new_round" };

  const send = async (action) => {
    const body = new FormData();
    body.append("csrf_token", csrf);
    body.append("action", action);
    try {
      const response = await fetch(moveUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      });
      const state = await response.json();
      problem.textContent = state.problem || "";
      await reloadPanel();
    } catch (error) {
      problem.textContent = problem.dataset.unreached;
    }
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || !shortcutsOn()) {
      return;
    }
    if (event.target.closest && event.target.closest("input, textarea, select, button")) {
      return;
    }
    const key = event.key.toLowerCase();
    if (key === "f") {
      event.preventDefault();
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        document.documentElement.requestFullscreen?.();
      }
    } else if (MOVES[key]) {
      event.preventDefault();
      send(MOVES[key]);
    }
  });
  screen.dataset.shortcuts = "ready";

  readCountdown();
  window.setInterval(() => {
    if (secondsLeft !== null && secondsLeft > 0) {
      secondsLeft -= 1;
    }
    showCountdown();
  }, 1000);
  window.setTimeout(poll, 1000);
}
