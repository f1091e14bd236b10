'use strict';
/**
 * Runs the real addon/Code.gs against a fake spreadsheet and a real service, for the
 * Python tests (the contract test, the end-to-end add-on test).
 *
 * stdin: {"service_url", "token", "time_zone", "name", "id",
 *         "tabs": [{"title", "rows": [[cell, …], …]}],     cell: a scalar, or {"date": "2024-09-24[T10:30]"}
 *         "calls": [{"fn": "checkSheet", "args": []}, …]}
 * stdout: {"results": [...], "requests": [{"method", "url", "headers", "bytes"}],
 *          "cells": {"<tab>!<A1>": {"note", "background"}}}   (cells with a note or a fill)
 *
 * A call may name the previous result: {"fn": "jobStatus", "args": [{"$from": -1, "path": "job.id"}]}.
 */
const fs = require('node:fs');
const { World, FakeSheet, columnLetters, realHttp } = require('./fakes.js');

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const world = new World({ timeZone: input.time_zone, name: input.name, id: input.id, token: input.token,
                          tabs: [], respond: realHttp });
input.tabs.forEach((tab, i) => {
  const rows = tab.rows.map((row) => row.map((cell) => (cell && typeof cell === 'object' && cell.date
    ? world.date(cell.date) : cell)));
  world.sheets.push(new FakeSheet(world, tab.title, 2000 + i, rows));
});

const context = world.load();
context.SERVICE_URL = input.service_url;

function pick(value, path) {
  return path.split('.').reduce((v, key) => (v === null || v === undefined ? v : v[key]), value);
}

const results = [];
for (const call of input.calls) {
  const args = (call.args || []).map((a) => (a && typeof a === 'object' && '$from' in a
    ? pick(results[results.length + a.$from], a.path) : a));
  let result;
  try {
    result = JSON.parse(JSON.stringify(context[call.fn](...args)));
  } catch (err) {
    result = { thrown: String(err.message || err) };
  }
  results.push(result);
}

const cells = {};
world.sheets.forEach((sheet) => {
  sheet.cells.forEach((row, i) => (row || []).forEach((cell, j) => {
    if (cell && (cell.note || cell.background)) {
      cells[`${sheet.name}!${columnLetters(j + 1)}${i + 1}`] = { note: cell.note, background: cell.background };
    }
  }));
});

process.stdout.write(JSON.stringify({
  results,
  requests: world.requests.map((r) => ({ method: r.method, url: r.url, headers: r.headers,
                                         bytes: r.raw === undefined ? 0 : Buffer.byteLength(r.raw) })),
  cells
}));
