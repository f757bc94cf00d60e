// Render every chart on the page: a <figure data-chart> holds its Vega-Lite spec in a
// <script type="application/json"> block (data, not code: the CSP allows no inline scripts).
const render = async () => {
  for (const figure of document.querySelectorAll("figure[data-chart]")) {
    const spec = JSON.parse(figure.querySelector("script[type='application/json']").textContent);
    const target = figure.querySelector(".chart");
    try {
      await window.vegaEmbed(target, spec, { actions: false, renderer: "svg" });
      figure.dataset.rendered = "true";
    } catch (err) {
      figure.dataset.rendered = "error";
      target.textContent = String(err);
    }
  }
};
const start = () => (window.vegaEmbed ? render() : setTimeout(start, 20));
start();
