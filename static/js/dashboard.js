// The dashboards' charts, drawn from the JSON the page carries (json_script: data, not code,
// so the CSP allows it). Every bar segment links to the list behind its number, like the tables.
(function () {
  // The period box shows the period counted: choosing a named period (this week, month…) shows
  // its figures at once; «Tùy chọn» waits for its two dates and the button.
  const periodForm = document.querySelector("form[data-period-form]");
  if (periodForm) {
    periodForm.addEventListener("change", (event) => {
      if (event.target.name === "period" && event.target.value !== "custom") periodForm.requestSubmit();
    });
  }

  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const quiet = window.matchMedia("print").matches || window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#495057";

  function datasets(series) {
    return series.datasets.map((set) => ({
      label: set.label,
      data: set.data,
      backgroundColor: set.color,
      borderColor: "#ffffff",
      borderWidth: 1,
      urls: set.urls,
      maxBarThickness: 28,
    }));
  }

  function open(event, elements, chart) {
    if (!elements.length) return;
    const { datasetIndex, index } = elements[0];
    const url = chart.data.datasets[datasetIndex].urls[index];
    if (url) window.location.assign(url);
  }

  function pointer(event, elements) {
    event.native.target.style.cursor = elements.length ? "pointer" : "default";
  }

  // On a phone the names beside the bars are wrapped onto lines, not cut at the chart's edge.
  function wrapped(label, width) {
    const lines = [];
    let line = "";
    for (const word of String(label).split(" ")) {
      if (line && `${line} ${word}`.length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    if (line) lines.push(line);
    return lines;
  }

  function draw(canvas) {
    const series = data[canvas.dataset.chart];
    if (!series || !series.labels.length) {
      canvas.closest(".chart-box").classList.add("chart-empty");
      return;
    }
    const horizontal = canvas.dataset.chart === "units";
    const narrow = horizontal && canvas.parentElement.clientWidth < 576;
    const labels = narrow ? series.labels.map((label) => wrapped(label, 18)) : series.labels;
    if (horizontal) {
      // One bar per unit or person: the box grows with the rows so bars keep their thickness.
      const rows = labels.reduce((sum, label) => sum + Math.max(36, (Array.isArray(label) ? label.length : 1) * 15 + 8), 0);
      canvas.parentElement.style.height = `${Math.max(140, rows + 56)}px`;
    }
    new Chart(canvas, {
      type: "bar",
      data: { labels, datasets: datasets(series) },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: quiet ? false : { duration: 300 },
        devicePixelRatio: Math.max(window.devicePixelRatio || 1, 2),
        interaction: { mode: "nearest", intersect: true },
        scales: {
          x: { stacked: true, grid: { display: !horizontal }, ticks: { precision: 0 } },
          y: { stacked: true, grid: { display: horizontal ? false : true }, ticks: { precision: 0, autoSkip: false } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              footer: () => data.hint || "",
            },
          },
        },
        onClick: open,
        onHover: pointer,
      },
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);

  // Print: no animation, and charts redrawn at the paper's width.
  window.addEventListener("beforeprint", () => {
    Object.values(Chart.instances).forEach((chart) => {
      chart.options.animation = false;
      chart.resize();
      chart.update("none");
    });
  });
})();

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
