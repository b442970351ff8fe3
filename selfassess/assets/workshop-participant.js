// The participant's phone follows the facilitator: poll a small state every second and, when
// the facilitator has moved (the step changed), fetch the panel again. Votes are posted in the
// background. Without JavaScript the page still works: the vote form posts and Refresh reloads.
const panel = document.getElementById("workshop-panel");

if (panel) {
  const stateUrl = panel.dataset.stateUrl;
  const panelUrl = panel.dataset.panelUrl;
  const currentStep = () => panel.querySelector("[data-step]")?.dataset.step;
  const ended = () => panel.querySelector("[data-status]")?.dataset.status !== "live";

  const replacePanel = (html) => {
    panel.innerHTML = html;
  };

  const reloadPanel = async () => {
    const response = await fetch(panelUrl, { cache: "no-store", credentials: "same-origin" });
    if (response.ok) {
      // A keyboard or screen reader user whose button is replaced keeps their place: focus
      // goes to the new question (or the ended heading) rather than back to the page top.
      const hadFocus = panel.contains(document.activeElement);
      replacePanel(await response.text());
      if (hadFocus) {
        panel.querySelector("h1")?.focus();
      }
    }
  };

  let stateTag = null;

  const poll = async () => {
    try {
      const response = await fetch(stateUrl, {
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
        }
      }
    } catch (error) {
      // A dropped connection: try again on the next tick.
    } finally {
      if (!ended()) {
        window.setTimeout(poll, 1000);
      }
    }
  };

  panel.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.classList.contains("app-vote-form")) {
      return;
    }
    event.preventDefault();
    const data = new FormData(form);
    if (event.submitter && event.submitter.name) {
      data.append(event.submitter.name, event.submitter.value);
    }
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      });
      replacePanel(await response.text());
      panel.querySelector("#vote-status")?.focus?.();
    } catch (error) {
      form.submit();
    }
  });

  // The question's countdown, when the lead set one: counted down here, set again from the
  // page whenever the panel is drawn. It only informs; voting stays open.
  let secondsLeft = null;
  let countedFrom = null;
  window.setInterval(() => {
    const countdown = panel.querySelector("#countdown");
    if (!countdown) {
      return;
    }
    if (countedFrom !== countdown) {
      countedFrom = countdown;
      secondsLeft = Number(countdown.dataset.secondsLeft);
    } else if (secondsLeft > 0) {
      secondsLeft -= 1;
    }
    const clock = `${Math.floor(secondsLeft / 60)}:${String(secondsLeft % 60).padStart(2, "0")}`;
    // The words are the page's own, in its language (data-time-left holds "{clock}").
    const { timeLeft, timeUp } = countdown.dataset;
    const words = secondsLeft > 0 ? timeLeft.replace("{clock}", clock) : timeUp;
    if (countdown.textContent !== words) {
      countdown.textContent = words;
    }
  }, 1000);

  window.setTimeout(poll, 1000);
}
