// Page script of the jeugdmonitor reports, bundled by vl-convert with Vega, Vega-Lite and
// vega-embed into grafieken/vega.js (figures.write_runtime). Each <figure class="jm-grafiek">
// carries its static SVG (shown without scripts and always in print) and its Vega-Lite spec in a
// <script type="application/json" class="jm-grafiek-spec">. Here that spec, compiled by the
// bundled Vega-Lite (the version that compiled the static SVG), becomes an interactive view;
// only when the view has rendered is the static SVG hidden on screen, so a failure leaves the
// static chart in place.

// The reports open offline: the views never load anything (data travel inline in the spec).
const geenNetwerk = {
  load: () => Promise.reject(new Error("jeugdmonitor: grafieken laden niets van buiten de pagina")),
  sanitize: () => Promise.reject(new Error("jeugdmonitor: grafieken laden niets van buiten de pagina")),
  http: () => Promise.reject(new Error("jeugdmonitor: grafieken laden niets van buiten de pagina")),
  file: () => Promise.reject(new Error("jeugdmonitor: grafieken laden niets van buiten de pagina")),
};

function toonInteractief(figuur) {
  const blok = figuur.querySelector("script.jm-grafiek-spec");
  const doel = figuur.querySelector(".jm-grafiek-vega");
  if (!blok || !doel) return Promise.resolve();
  let gegevens;
  try {
    gegevens = JSON.parse(blok.textContent);
  } catch (fout) {
    console.warn("jeugdmonitor: grafiekspecificatie onleesbaar", fout);
    return Promise.resolve();
  }
  const locale = (gegevens.spec.config && gegevens.spec.config.locale) || {};
  return vegaEmbed(doel, gegevens.spec, {
    mode: "vega-lite",
    renderer: "svg",
    actions: false, // no menu: it would add focusable links that lead off the page
    loader: geenNetwerk,
    ast: true, // expressions interpreted, not compiled with Function(): works under a strict CSP
    formatLocale: locale.number,
    timeFormatLocale: locale.time,
    tooltip: { theme: "light" },
  }).then(() => {
    figuur.classList.add("jm-actief");
  }).catch((fout) => {
    console.warn("jeugdmonitor: interactieve grafiek niet getoond, de vaste grafiek blijft staan", fout);
  });
}

function start() {
  document.querySelectorAll("figure.jm-grafiek").forEach(toonInteractief);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
