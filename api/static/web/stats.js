/* The charts of the statistics page, drawn from the figures the page carries
   (#stats-data). ES5 only: the old desktop browsers of a party office run it. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("stats-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    function chart(id, option) {
      var el = document.getElementById(id);
      if (!el) { return; }
      var c = window.echarts.init(el);
      c.setOption(option);
      charts.push(c);
    }
    var narrow = window.innerWidth < 700;
    var series = [];
    for (var i = 0; i < data.states.length; i++) {
      series.push({ name: data.states[i].name, type: "bar", stack: "n",
                    data: data.states[i].data });
    }
    chart("chart-states", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.branches,
               axisLabel: { interval: 0, rotate: narrow ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    });
    function names(pairs) { var out = []; for (var j = 0; j < pairs.length; j++) { out.push(pairs[j][0]); } return out; }
    function values(pairs) { var out = []; for (var j = 0; j < pairs.length; j++) { out.push(pairs[j][1]); } return out; }
    chart("chart-publicity", {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 10, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: names(data.publicity), inverse: true },
      series: [{ type: "bar", data: values(data.publicity), itemStyle: { color: "#b30000" },
                 label: { show: true, position: "right" } }]
    });
    var structure = data.structure.slice();
    for (var k = 0; k < data.education.length; k++) {
      structure.push(["学历：" + data.education[k][0], data.education[k][1]]);
    }
    chart("chart-structure", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 24, top: 10, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1, max: Math.max(data.admitted, 1) },
      yAxis: { type: "category", data: names(structure), inverse: true },
      series: [{ type: "bar", data: values(structure), itemStyle: { color: "#b30000" },
                 label: { show: true, position: "right" } }]
    });
    window.addEventListener("resize", function () {
      for (var m = 0; m < charts.length; m++) { charts[m].resize(); }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else { draw(); }
}());
