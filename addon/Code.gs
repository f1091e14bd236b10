/**
 * @OnlyCurrentDoc
 *
 * МО-документы: the Google Sheets add-on of mo-docs.
 *
 * The add-on does no work of its own.  Each action reads every tab of the open
 * spreadsheet once (values and displayed values of its data range), sends them in
 * one request to the service with the person's Google ID token, and shows the
 * answer: findings marked in the sheet, documents filed by the service and linked
 * from the sidebar.  So none of Apps Script's quotas on documents or run time
 * applies, and the rules live in one place — the service.
 *
 * Functions ending in «_» are private (google.script.run cannot call them).
 */

/** The service's address.  It must also be listed in appsscript.json (urlFetchWhitelist). */
var SERVICE_URL = 'https://mo-docs.example.ru';

var ADDON_TITLE = 'МО-документы';
var PROPERTY_PREFIX = 'mo-docs.';
var MARKS_PREFIX = PROPERTY_PREFIX + 'marks.';
var MARKS_PART_CHARS = 8000;        // a property value holds at most 9 KB
var SETTINGS_KEY = PROPERTY_PREFIX + 'settings';
var COLOURS = { error: '#f4c7c3', warning: '#fce8b2', info: '#d2e3fc' };
var RANK = { error: 3, warning: 2, info: 1 };
var SEVERITY_TITLES = { error: 'Ошибка', warning: 'Предупреждение', info: 'Замечание' };
var NOTE_HEAD = 'МО-документы ·';   // the first line of every note the add-on writes
var NOTE_SEPARATOR = '\n———\n';     // between the add-on's note and the person's own
var DEFAULT_BACKGROUND = '#ffffff';
var DOCUMENTS_HEADER = 'Документы';

// ---------------------------------------------------------------- the menu

function onInstall(e) {
  onOpen(e);
}

/** The menu is the same in every authorisation mode: it names functions, it calls nothing. */
function onOpen(e) {
  SpreadsheetApp.getUi().createAddonMenu()
    .addItem('Проверить таблицу', 'showCheck')
    .addSeparator()
    .addItem('Сформировать протокол…', 'showProtocol')
    .addItem('Лист регистрации…', 'showRegistrationSheet')
    .addItem('Приказ о составе', 'showOrder')
    .addItem('План работы', 'makeWorkPlan')
    .addItem('Анализ работы', 'makeAnnualReport')
    .addItem('Другие документы…', 'showDocuments')
    .addSeparator()
    .addItem('Убрать пометки', 'clearMarksFromMenu')
    .addItem('Настройки', 'showSettings')
    .addToUi();
}

function showCheck() { showSidebar_('check'); }
function showProtocol() { showSidebar_('protocol'); }
function showRegistrationSheet() { showSidebar_('registration-sheet'); }
function showOrder() { showSidebar_('order'); }
function makeWorkPlan() { showSidebar_('work-plan'); }
function makeAnnualReport() { showSidebar_('annual-report'); }
function showDocuments() { showSidebar_('documents'); }
function showSettings() { showSidebar_('settings'); }

function clearMarksFromMenu() {
  var removed = clearMarks();
  SpreadsheetApp.getActive().toast(removed ? 'Пометки убраны: ' + removed + ' ' + cellsWord_(removed) + '.'
                                           : 'Пометок нет.', ADDON_TITLE);
}

function showSidebar_(start) {
  var template = HtmlService.createTemplateFromFile('Sidebar');
  template.start = start;
  var output = template.evaluate().setTitle(ADDON_TITLE);
  SpreadsheetApp.getUi().showSidebar(output);
}

// ---------------------------------------------------------------- what the sidebar calls

/** «Проверить таблицу»: the findings of the whole spreadsheet, marked in its cells. */
function checkSheet() {
  var answer = call_('post', '/api/v1/addon/check', buildPayload_());
  if (answer.error) {
    return answer;
  }
  answer.marked = getSettings().mark_cells ? markFindings_(answer.findings || []) : 0;
  return answer;
}

/** Ask for a document; the answer carries the job to follow with jobStatus(). */
function requestDocument(request) {
  var body = buildPayload_();
  ['kind', 'meeting', 'plan_item', 'number', 'date', 'force', 'format', 'personal'].forEach(function (name) {
    if (request && request[name] !== undefined && request[name] !== null && request[name] !== '') {
      body[name] = request[name];
    }
  });
  return call_('post', '/api/v1/addon/documents', body);
}

function jobStatus(jobId) {
  return call_('get', '/api/v1/jobs/' + encodeURIComponent(String(jobId)));
}

/** «Подключить таблицу»: the spreadsheet's association is added to the service. */
function connectSheet() {
  return call_('post', '/api/v1/addon/connect', buildPayload_());
}

function goToCell(sheetName, cell) {
  var sheet = SpreadsheetApp.getActive().getSheetByName(sheetName);
  if (!sheet) {
    return { error: { code: 'sheet.missing', message: 'Листа «' + sheetName + '» в таблице нет.' } };
  }
  sheet.activate();
  var at = cell ? topLeft_(cell) : null;
  if (at && within_(sheet, [at]).length) {
    sheet.getRange(at).activate();
  }
  return { sheet: sheetName, cell: at };
}

function getSettings() {
  var saved = {};
  try {
    saved = JSON.parse(PropertiesService.getDocumentProperties().getProperty(SETTINGS_KEY) || '{}') || {};
  } catch (err) {
    saved = {};
  }
  return {
    service_url: SERVICE_URL,
    mark_cells: saved.mark_cells !== false,
    write_links: saved.write_links === true
  };
}

function saveSettings(settings) {
  var clean = { mark_cells: !!(settings && settings.mark_cells), write_links: !!(settings && settings.write_links) };
  PropertiesService.getDocumentProperties().setProperty(SETTINGS_KEY, JSON.stringify(clean));
  return getSettings();
}

/**
 * For whoever deploys the add-on, run once from the Apps Script editor: the OAuth client
 * id the service must know (MO_DOCS_GOOGLE_ID_TOKEN_AUDIENCE) — the `aud` of the ID
 * tokens this project gets.  Not a secret; not in the menu.
 */
function showClientId() {
  var token = ScriptApp.getIdentityToken();
  if (!token) {
    throw new Error('Нет ID-токена: в appsscript.json должна быть область openid.');
  }
  var body = token.split('.')[1];
  while (body.length % 4) {
    body += '=';
  }
  var claims = JSON.parse(Utilities.newBlob(Utilities.base64DecodeWebSafe(body)).getDataAsString());
  console.log('MO_DOCS_GOOGLE_ID_TOKEN_AUDIENCE=' + claims.aud);
  return claims.aud;
}

// ---------------------------------------------------------------- reading the spreadsheet

/**
 * Every grid tab read once: getValues() and getDisplayValues() of its data range.
 * Dates become ISO strings in the spreadsheet's own time zone — the day and time the
 * person sees — because neither google.script.run nor JSON carries Date objects.
 */
function buildPayload_() {
  var spreadsheet = SpreadsheetApp.getActive();
  var timeZone = spreadsheet.getSpreadsheetTimeZone();
  var sheets = [];
  spreadsheet.getSheets().forEach(function (sheet) {
    if (sheet.getType && sheet.getType() !== SpreadsheetApp.SheetType.GRID) {
      return;                                   // a chart on a sheet of its own has no cells
    }
    var range = sheet.getDataRange();
    var values = range.getValues();
    var shown = range.getDisplayValues();
    sheets.push({
      name: sheet.getName(),
      values: values.map(function (row) {
        return row.map(function (value) { return plainValue_(value, timeZone); });
      }),
      display_values: shown
    });
  });
  return {
    spreadsheet: {
      id: spreadsheet.getId(),
      name: spreadsheet.getName(),
      url: spreadsheet.getUrl(),
      time_zone: timeZone
    },
    sheets: sheets
  };
}

function plainValue_(value, timeZone) {
  if (isDate_(value)) {
    if (isNaN(value.getTime())) {
      return '';
    }
    var iso = Utilities.formatDate(value, timeZone, "yyyy-MM-dd'T'HH:mm:ss");
    return iso.slice(10) === 'T00:00:00' ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'number' && !isFinite(value)) {
    return '';
  }
  return value;
}

function isDate_(value) {
  return Object.prototype.toString.call(value) === '[object Date]';
}

// ---------------------------------------------------------------- talking to the service

/**
 * One request to the service.  Answers it could give (a refusal, a limit) come back as
 * {error: {code, message, details}} for the sidebar to show; only a service that cannot
 * be reached at all throws.
 */
function call_(method, path, body) {
  var token = ScriptApp.getIdentityToken();
  if (!token) {
    return failure_('auth.no_token', 'Google не выдал подтверждение входа для надстройки. Откройте её заново ' +
                                     'из меню «Расширения» и разрешите доступ.');
  }
  var options = {
    method: method,
    muteHttpExceptions: true,
    followRedirects: false,
    headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' }
  };
  if (body !== undefined) {
    options.contentType = 'application/json';
    options.payload = JSON.stringify(body);
  }
  var response;
  try {
    response = UrlFetchApp.fetch(SERVICE_URL + path, options);
  } catch (err) {
    throw new Error('Служба «' + ADDON_TITLE + '» недоступна (' + SERVICE_URL + '). Проверьте подключение к ' +
                    'интернету и повторите позже.');
  }
  var status = response.getResponseCode();
  var data = null;
  try {
    data = JSON.parse(response.getContentText());
  } catch (err) {
    data = null;
  }
  if (status >= 200 && status < 300 && data && typeof data === 'object') {
    return data;
  }
  if (data && data.error && data.error.message) {
    return { error: { code: data.error.code || 'http.' + status, message: data.error.message,
                      details: data.error.details || null, status: status } };
  }
  return failure_('http.' + status, 'Служба ответила ошибкой ' + status + '. Повторите позже.', status);
}

function failure_(code, message, status) {
  return { error: { code: code, message: message, details: null, status: status || 0 } };
}

// ---------------------------------------------------------------- findings in the sheet

/**
 * Each finding's cell gets a note and a background by severity.  The previous
 * check's marks are removed first.  Writes are batched: per sheet one getNotes,
 * one getBackgrounds and one setNotes over the rectangle that holds the marked
 * cells, and one RangeList.setBackground per colour.  What was there before is
 * remembered in the document's properties, so «Убрать пометки» can put it back.
 */
function markFindings_(findings) {
  removeMarks_();
  var spreadsheet = SpreadsheetApp.getActive();
  var bySheet = {};
  findings.forEach(function (f) {
    var cell = f && f.sheet && f.cell ? topLeft_(f.cell) : null;
    if (!cell) {
      return;
    }
    var cells = bySheet[f.sheet] = bySheet[f.sheet] || {};
    var mark = cells[cell] = cells[cell] || { severity: 'info', lines: [] };
    if ((RANK[f.severity] || 0) > (RANK[mark.severity] || 0)) {
      mark.severity = f.severity;
    }
    mark.lines.push((SEVERITY_TITLES[f.severity] || 'Замечание') + ': ' + f.message +
                    (f.clause ? ' (' + f.clause + ')' : ''));
  });
  var record = {};
  var marked = 0;
  Object.keys(bySheet).forEach(function (name) {
    var sheet = spreadsheet.getSheetByName(name);
    if (!sheet) {
      return;
    }
    var cells = within_(sheet, Object.keys(bySheet[name]));
    if (!cells.length) {
      return;
    }
    var box = bounds_(cells);
    var range = sheet.getRange(box.row, box.column, box.rows, box.columns);
    var notes = range.getNotes();
    var backgrounds = range.getBackgrounds();
    var byColour = {};
    var entries = [];
    cells.forEach(function (a1) {
      var at = parseA1_(a1);
      var i = at.row - box.row;
      var j = at.column - box.column;
      var mark = bySheet[name][a1];
      var original = personsNote_(notes[i][j]);
      var written = NOTE_HEAD + '\n' + mark.lines.join('\n') + (original ? NOTE_SEPARATOR + original : '');
      var colour = COLOURS[mark.severity] || COLOURS.info;
      notes[i][j] = written;
      (byColour[colour] = byColour[colour] || []).push(a1);
      entries.push([a1, String(backgrounds[i][j] || DEFAULT_BACKGROUND).toLowerCase(), colour, written, original]);
    });
    range.setNotes(notes);
    Object.keys(byColour).forEach(function (colour) {
      sheet.getRangeList(byColour[colour]).setBackground(colour);
    });
    record[String(sheet.getSheetId())] = entries;
    marked += entries.length;
  });
  saveMarks_(record);
  return marked;
}

/** «Убрать пометки»: exactly what the add-on added; returns how many cells. */
function clearMarks() {
  return removeMarks_();
}

function removeMarks_() {
  var record = loadMarks_();
  var ids = Object.keys(record);
  if (!ids.length) {
    return 0;
  }
  var byId = {};
  SpreadsheetApp.getActive().getSheets().forEach(function (sheet) {
    byId[String(sheet.getSheetId())] = sheet;
  });
  var removed = 0;
  ids.forEach(function (id) {
    var sheet = byId[id];
    if (!sheet) {
      return;                                   // the sheet was deleted since
    }
    var entries = record[id].filter(function (e) { return within_(sheet, [e[0]]).length === 1; });
    if (!entries.length) {
      return;
    }
    var box = bounds_(entries.map(function (e) { return e[0]; }));
    var range = sheet.getRange(box.row, box.column, box.rows, box.columns);
    var notes = range.getNotes();
    var backgrounds = range.getBackgrounds();
    var restore = {};
    entries.forEach(function (e) {
      var at = parseA1_(e[0]);
      var i = at.row - box.row;
      var j = at.column - box.column;
      if (notes[i][j] === e[3]) {
        notes[i][j] = e[4] || '';              // the note as the person left it
      }
      if (String(backgrounds[i][j] || '').toLowerCase() === e[2]) {
        (restore[e[1]] = restore[e[1]] || []).push(e[0]);
      }
      removed += 1;
    });
    range.setNotes(notes);
    Object.keys(restore).forEach(function (colour) {
      sheet.getRangeList(restore[colour]).setBackground(colour === DEFAULT_BACKGROUND ? null : colour);
    });
  });
  saveMarks_({});
  return removed;
}

/** A note left by an earlier run whose record was lost is not the person's. */
function personsNote_(note) {
  note = note || '';
  if (note.indexOf(NOTE_HEAD) !== 0) {
    return note;
  }
  var at = note.indexOf(NOTE_SEPARATOR);
  return at < 0 ? '' : note.slice(at + NOTE_SEPARATOR.length);
}

function loadMarks_() {
  var properties = PropertiesService.getDocumentProperties();
  var count = parseInt(properties.getProperty(MARKS_PREFIX + 'parts') || '0', 10);
  if (!count) {
    return {};
  }
  var text = '';
  for (var i = 0; i < count; i += 1) {
    text += properties.getProperty(MARKS_PREFIX + i) || '';
  }
  try {
    return JSON.parse(text) || {};
  } catch (err) {
    return {};
  }
}

function saveMarks_(record) {
  var properties = PropertiesService.getDocumentProperties();
  var old = parseInt(properties.getProperty(MARKS_PREFIX + 'parts') || '0', 10);
  var text = Object.keys(record).length ? JSON.stringify(record) : '';
  var parts = {};
  var count = 0;
  for (var at = 0; at < text.length; at += MARKS_PART_CHARS) {
    parts[MARKS_PREFIX + count] = text.slice(at, at + MARKS_PART_CHARS);
    count += 1;
  }
  parts[MARKS_PREFIX + 'parts'] = String(count);
  properties.setProperties(parts);
  for (var i = count; i < old; i += 1) {
    properties.deleteProperty(MARKS_PREFIX + i);
  }
}

// ---------------------------------------------------------------- a document's link in «Заседания»

/**
 * Write a filed document's link into the «Документы» column of «Заседания», on the
 * row of its meeting (the column is added after the last header when missing).  One
 * line per document kind: a new protocol replaces the old protocol's line, the
 * registration sheet's line stays.  `link`: {meeting, kind_title, name, url, sheet:
 * {title, header_row, number_column}} — the sheet's layout as the service read it.
 */
function writeDocumentLink(link) {
  var layout = link && link.sheet;
  if (!layout || !link.url || !/^https?:\/\//.test(link.url)) {
    return failure_('link.invalid', 'Нет ссылки на документ.');
  }
  var sheet = SpreadsheetApp.getActive().getSheetByName(layout.title);
  if (!sheet) {
    return failure_('sheet.missing', 'Листа «' + layout.title + '» в таблице нет.');
  }
  var headerRow = layout.header_row;
  var lastColumn = Math.max(sheet.getLastColumn(), 1);
  var headers = sheet.getRange(headerRow, 1, 1, lastColumn).getDisplayValues()[0];
  var column = 0;
  var lastHeader = 0;
  headers.forEach(function (text, j) {
    var clean = String(text).replace(/\s+/g, ' ').trim();
    if (clean) {
      lastHeader = j + 1;
    }
    if (!column && clean.toLowerCase().replace(/ё/g, 'е') === DOCUMENTS_HEADER.toLowerCase()) {
      column = j + 1;
    }
  });
  var lastRow = sheet.getLastRow();
  if (lastRow <= headerRow) {
    return failure_('meeting.missing', 'Заседания №' + link.meeting + ' на листе «' + layout.title + '» нет.');
  }
  var numbers = sheet.getRange(headerRow + 1, layout.number_column, lastRow - headerRow, 1).getDisplayValues();
  var row = 0;
  for (var i = 0; i < numbers.length; i += 1) {
    var digits = /\d+/.exec(String(numbers[i][0]));          // «2», «№2», «2,0» (a number format) — not «20»
    if (digits && parseInt(digits[0], 10) === parseInt(link.meeting, 10)) {
      row = headerRow + 1 + i;
      break;
    }
  }
  if (!row) {
    return failure_('meeting.missing', 'Заседания №' + link.meeting + ' на листе «' + layout.title + '» нет.');
  }
  if (!column) {
    column = lastHeader + 1;
    sheet.getRange(headerRow, column).setValue(DOCUMENTS_HEADER);
  }
  var cell = sheet.getRange(row, column);
  var lines = linkedLines_(cell.getRichTextValue()).filter(function (line) {
    return !(link.kind_title && line.text.indexOf(link.kind_title) === 0);
  });
  lines.push({ text: link.name, url: link.url });
  var text = lines.map(function (line) { return line.text; }).join('\n');
  var builder = SpreadsheetApp.newRichTextValue().setText(text);
  var at = 0;
  lines.forEach(function (line) {
    if (line.url && line.text) {
      builder = builder.setLinkUrl(at, at + line.text.length, line.url);
    }
    at += line.text.length + 1;
  });
  cell.setRichTextValue(builder.build());
  return { sheet: layout.title, cell: a1_(row, column) };
}

/** The lines of a cell with the link each one carries (a run's link covers its line). */
function linkedLines_(rich) {
  if (!rich) {
    return [];
  }
  var text = rich.getText() || '';
  if (!text) {
    return [];
  }
  var runs = rich.getRuns ? rich.getRuns() : [];
  var lines = [];
  var at = 0;
  text.split('\n').forEach(function (part) {
    var url = null;
    runs.forEach(function (run) {
      if (!url && run.getLinkUrl() && run.getStartIndex() < at + part.length && run.getEndIndex() > at) {
        url = run.getLinkUrl();
      }
    });
    if (part) {
      lines.push({ text: part, url: url });
    }
    at += part.length + 1;
  });
  return lines;
}

// ---------------------------------------------------------------- A1 addresses

function parseA1_(a1) {
  var m = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(String(a1).trim());
  if (!m) {
    return null;
  }
  var column = 0;
  m[1].toUpperCase().split('').forEach(function (ch) { column = column * 26 + ch.charCodeAt(0) - 64; });
  return { row: parseInt(m[2], 10), column: column };
}

function a1_(row, column) {
  var letters = '';
  while (column > 0) {
    var rest = (column - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    column = Math.floor((column - 1) / 26);
  }
  return letters + row;
}

/** «B3» of «B3», «B3:D7» or «'Состав'!B3»; null for anything else. */
function topLeft_(cell) {
  var text = String(cell);
  text = text.slice(text.lastIndexOf('!') + 1).split(':')[0].replace(/\$/g, '').toUpperCase();
  var at = parseA1_(text);
  return at && at.row >= 1 && at.column >= 1 ? a1_(at.row, at.column) : null;
}

function within_(sheet, cells) {
  var rows = sheet.getMaxRows();
  var columns = sheet.getMaxColumns();
  return cells.filter(function (a1) {
    var at = parseA1_(a1);
    return at && at.row <= rows && at.column <= columns;
  });
}

function bounds_(cells) {
  var top = Infinity, left = Infinity, bottom = 0, right = 0;
  cells.forEach(function (a1) {
    var at = parseA1_(a1);
    top = Math.min(top, at.row);
    left = Math.min(left, at.column);
    bottom = Math.max(bottom, at.row);
    right = Math.max(right, at.column);
  });
  return { row: top, column: left, rows: bottom - top + 1, columns: right - left + 1 };
}

function cellsWord_(n) {
  var tens = n % 100;
  var ones = n % 10;
  if (tens >= 11 && tens <= 14) {
    return 'ячеек';
  }
  return ones === 1 ? 'ячейка' : (ones >= 2 && ones <= 4 ? 'ячейки' : 'ячеек');
}
