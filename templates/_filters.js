{#- Filter state shared by the reports: checked boxes, and the URL hash that makes a filtered
    view shareable (#kind=added,removed&q=steel); a hash naming an anchor (#c-12) is left alone.
    The including page defines apply() and calls wireFilters(form, apply). -#}
function checkedValues(form, name) {
  return Array.prototype.slice.call(form.querySelectorAll("input[name=" + name + "]:checked")).map(function (i) { return i.value; });
}
function wireFilters(form, apply) {
  function fromHash() {
    var hash = decodeURIComponent(location.hash.slice(1));
    if (!hash || hash.indexOf("=") < 0) return;
    hash.split("&").forEach(function (part) {
      var kv = part.split("="), key = kv[0], values = (kv[1] || "").split(",");
      if (key === "q") { form.q.value = kv[1] || ""; return; }
      form.querySelectorAll("input[name=" + key + "]").forEach(function (input) {
        input.checked = values.indexOf(input.value) >= 0;
      });
    });
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  window.addEventListener("hashchange", function () { fromHash(); apply(); });
  fromHash();
  apply();
}
