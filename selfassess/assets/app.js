// Starts the GOV.UK Frontend components; page scripts are separate files loaded by their pages.
import { initAll } from "/static/govuk-frontend.min.js";

initAll();
