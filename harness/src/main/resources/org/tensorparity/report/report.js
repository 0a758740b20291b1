// The layer table's search, filter and sort, and opening a layer's details from its row. The page reads
// fully without this script; it only reads the DOM (text and data attributes) and never writes HTML.
(function () {
  'use strict';

  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && document.querySelector('.drill:target')) {
      location.hash = '_';
    }
  });

  var table = document.getElementById('layer-table');
  if (!table) {
    return;
  }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById('layer-search');
  var failing = document.getElementById('layer-failing');
  var shown = document.getElementById('layer-shown');
  var numeric = { index: true, confidence: true, maxabs: true, normalized: true, isolated: true, cosine: true };
  // Search matches both full names, which the row carries once (the table may show them cut).
  var names = new Map();
  rows.forEach(function (row) {
    names.set(row, (row.dataset.onnx + '\n' + row.dataset.tflite).toLowerCase());
  });

  function filter() {
    var query = search.value.trim().toLowerCase();
    var onlyFailing = failing.checked;
    var count = 0;
    rows.forEach(function (row) {
      var visible = (!onlyFailing || row.dataset.verdict === 'fail')
          && (query === '' || names.get(row).indexOf(query) >= 0);
      row.hidden = !visible;
      if (visible) {
        count++;
      }
    });
    shown.textContent = count === rows.length ? rows.length + ' layers' : count + ' of ' + rows.length + ' layers';
  }

  function sortBy(th) {
    var key = th.dataset.key;
    var descending = th.getAttribute('aria-sort') === 'ascending';
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute('aria-sort');
    });
    th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
    var sign = descending ? -1 : 1;
    rows.sort(function (a, b) {
      var x = a.dataset[key];
      var y = b.dataset[key];
      var order = numeric[key] ? Number(x) - Number(y) : x.localeCompare(y);
      if (order !== order) { // NaN, from two infinities of one sign
        order = 0;
      }
      return order === 0 ? Number(a.dataset.index) - Number(b.dataset.index) : sign * order;
    });
    rows.forEach(function (row) {
      body.appendChild(row);
    });
  }

  search.addEventListener('input', filter);
  failing.addEventListener('change', filter);
  Array.prototype.forEach.call(table.tHead.querySelectorAll('th[data-key]'), function (th) {
    th.tabIndex = 0;
    th.addEventListener('click', function () {
      sortBy(th);
    });
    th.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        sortBy(th);
      }
    });
  });
  rows.forEach(function (row) {
    row.addEventListener('click', function (e) {
      if (!e.target.closest('a')) {
        location.hash = row.dataset.target;
      }
    });
  });
  filter();
})();
