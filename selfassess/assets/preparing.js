// "Preparing your PDF": ask quietly every few seconds whether the document is ready, then open
// it in this tab; say so if it could not be made. Without JavaScript the page refreshes itself.
const preparing = document.getElementById("preparing");

if (preparing) {
  const url = preparing.dataset.checkUrl;
  const seconds = Number(preparing.dataset.checkSeconds) || 3;
  const status = document.getElementById("preparing-status");

  const check = async () => {
    try {
      const response = await fetch(url, {
        cache: "no-store",
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      });
      const state = response.ok ? (await response.json()).state : "preparing";
      if (state === "ready") {
        // In the page's language: the page gives the words.
        status.textContent = preparing.dataset.readyText || "Your PDF is ready. Opening it now.";
      }
      if (state === "ready" || state === "failed") {
        // The PDF itself, or the page that says it could not be made, with "Try again".
        window.location.replace(url);
        return;
      }
    } catch (error) {
      // A dropped connection: ask again on the next tick.
    }
    window.setTimeout(check, seconds * 1000);
  };

  window.setTimeout(check, seconds * 1000);
}
