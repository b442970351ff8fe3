// "Copy link" on the invitation page: shows the button only when the browser can copy. What it
// says comes from the button's data-text-* attributes, in the page's language.
const button = document.querySelector("[data-copy-target]");
if (button && navigator.clipboard) {
  const input = document.getElementById(button.dataset.copyTarget);
  const status = document.getElementById("copy-status");
  button.hidden = false;
  button.addEventListener("click", async (event) => {
    event.preventDefault();
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      if (status) status.textContent = button.dataset.textCopied || "Link copied.";
    } catch {
      if (status) status.textContent = button.dataset.textCopyFailed || "Select the link and copy it.";
    }
  });
}
