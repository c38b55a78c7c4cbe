#pragma once
// The page's inline style sheet and script: light background, system fonts
// (no web font), print rules; the script only drives the hour slider.
namespace mpdstat::report {

inline constexpr const char* kPageStyle = R"css(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #ffffff; color: #1a1a1a; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
header, main { max-width: 1320px; margin: 0 auto; padding: 0 20px; }
header { border-bottom: 2px solid #253494; padding-top: 18px; padding-bottom: 10px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 28px 0 8px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
nav ol { columns: 3; margin: 8px 0; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; background: #f3f3f3; padding: 0 3px; }
.note { color: #444; font-size: 13px; }
.missing { background: #fff8e1; border-left: 4px solid #e0a800; padding: 6px 10px; }
.map-row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
figure { margin: 6px 0 12px; }
figure.map { width: 400px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg path[data-zone] { stroke: #555; stroke-width: 0.5; stroke-linejoin: round; }
svg path[data-zone]:hover { stroke: #000; stroke-width: 1.5; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 12px; margin-top: 4px; align-items: center; }
.legend-title { font-weight: 600; width: 100%; }
.legend-item { display: inline-flex; align-items: center; gap: 4px; }
.swatch { vertical-align: middle; }
table.data { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
table.data th, table.data td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
table.data th { background: #f0f0f0; }
table.methods td:nth-child(2) { max-width: 520px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.bars { border-collapse: collapse; font-size: 13px; margin: 6px 0 12px; }
table.bars th, table.bars td { padding: 2px 8px; text-align: left; }
table.bars th[scope=row] { font-weight: normal; white-space: nowrap; }
.bar-cell { width: 320px; }
td.share { white-space: nowrap; }
.bar { display: inline-block; height: 12px; background: #41b6c4; border: 1px solid #225ea8; vertical-align: middle; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; font-weight: 600; border: 1px solid #666; }
.badge.pass, .badge.q-high { background: #e5f5e0; }
.badge.warn, .badge.q-medium { background: #fff3cd; }
.badge.fail, .badge.q-low { background: #f8d7da; }
.frame-output { font-weight: 600; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10pt; }
  header, main { max-width: none; padding: 0; }
  .no-print, nav { display: none; }
  section { break-before: page; }
  figure, table, tr { break-inside: avoid; }
  svg path[data-zone]:hover { stroke: #555; stroke-width: 0.5; }
}
)css";

// The hour slider: each map with data-frames holds, per zone, one class code per
// frame (a digit: colour class; s: suppressed; n: no data).
inline constexpr const char* kPageScript = R"js(
(function () {
  'use strict';
  var sliders = document.querySelectorAll('input.frame-slider');
  function show(frame) {
    document.querySelectorAll('svg[data-frames]').forEach(function (svg) {
      var colours = svg.getAttribute('data-colours').split(',');
      var labels = svg.getAttribute('data-frames').split('|');
      svg.querySelectorAll('path[data-classes]').forEach(function (path) {
        var code = path.getAttribute('data-classes').charAt(frame);
        path.setAttribute('fill', code === 's' ? 'url(#suppressed-hatch)' : code === 'n' ? '#ffffff' : colours[+code]);
      });
      var label = svg.parentNode.querySelector('.frame-label');
      if (label && frame < labels.length) label.textContent = labels[frame];
    });
    document.querySelectorAll('output.frame-output').forEach(function (out) {
      var svg = document.querySelector('svg[data-frames]');
      if (svg) out.textContent = svg.getAttribute('data-frames').split('|')[frame] || '';
    });
  }
  sliders.forEach(function (slider) {
    slider.addEventListener('input', function () { show(+slider.value); });
  });
})();
)js";

}  // namespace mpdstat::report
