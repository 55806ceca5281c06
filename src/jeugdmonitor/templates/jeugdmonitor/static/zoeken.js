// Filter and search of the index page of jeugdmonitor (zoeken.js, beside index.html). The page
// shows every municipality without this script; with it, the hidden form appears and hides the
// rows (and regions) that do not match. It loads nothing and holds no text: every word is in the page.
"use strict";

function gewoon(tekst) {
  // case, accents and apostrophes do not matter: "s grav" finds 's-Gravenhage
  return tekst.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

function filter(formulier) {
  const zoek = gewoon(formulier.querySelector("#jm-zoek-naam").value);
  const regio = formulier.querySelector("#jm-zoek-regio").value;
  let getoond = 0;
  for (const sectie of document.querySelectorAll("section.jm-regio")) {
    // a municipality has a row in each of its region's tables (goals, key figures): counted once
    const gevonden = new Set();
    for (const rij of sectie.querySelectorAll("tr.jm-gemeente")) {
      const past = (!regio || sectie.dataset.regio === regio) && gewoon(rij.dataset.naam).includes(zoek);
      rij.hidden = !past;
      if (past) gevonden.add(rij.dataset.naam);
    }
    sectie.hidden = gevonden.size === 0;
    getoond += gevonden.size;
  }
  formulier.querySelector(".jm-zoek-aantal").textContent = String(getoond);
  document.querySelector(".jm-zoek-geen").hidden = getoond > 0;
}

document.addEventListener("DOMContentLoaded", () => {
  const formulier = document.querySelector("form.jm-zoeken");
  if (!formulier) return;
  formulier.hidden = false;
  formulier.addEventListener("submit", (gebeurtenis) => gebeurtenis.preventDefault());
  formulier.addEventListener("input", () => filter(formulier));
  formulier.addEventListener("change", () => filter(formulier));
});
