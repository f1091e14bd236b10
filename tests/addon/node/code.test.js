'use strict';
/**
 * addon/Code.gs under Node's test runner, against the fakes of fakes.js: the menu, the
 * one read per tab, the one request per action, findings marked and unmarked in the
 * sheet (batched, a person's notes and fills untouched), links into «Заседания».
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { World, FakeSheet, ADDON, PROPERTY_VALUE_LIMIT } = require('./fakes.js');

/** A value from the vm's realm as plain data (deepEqual compares prototypes). */
function plain(value) { return JSON.parse(JSON.stringify(value)); }

const ERROR_COLOUR = '#f4c7c3';
const WARNING_COLOUR = '#fce8b2';

function register(world) {
  return {
    'Сведения': [['Наименование МО', 'ММО учителей математики'], ['Учебный год', '2024-2025']],
    'Состав': [['ФИО', 'ОО', 'Должность', 'Дата включения'],
               ['Иванова Мария Петровна', 'МБОУ СОШ №1', 'учитель', world ? world.date('2024-09-01') : null],
               ['Петрова Анна Ивановна', 'МБОУ СОШ №2', 'учитель', '31.02.2024']],
    'Заседания': [['№', 'Дата', 'Статус'], [1, null, 'проведено'], [2, null, 'запланировано']]
  };
}

function makeWorld(options = {}) {
  const world = new World({ tabs: {}, ...options });
  if (!options.tabs) {
    const tabs = register(world);
    tabs['Заседания'][1][1] = world.date('2024-09-24');
    tabs['Заседания'][2][1] = world.date('2024-12-10');
    const fresh = new World({ ...options, tabs });
    return fresh;
  }
  return world;
}

function answerWith(findings) {
  const counts = { error: 0, warning: 0, info: 0 };
  findings.forEach((f) => { counts[f.severity] += 1; });
  return () => ({ status: 200, body: { workbook: 'ММО математиков', findings, counts, addon: { kinds: [] } } });
}

const FINDINGS = [
  { code: 'cell.bad_date', severity: 'error', sheet: 'Состав', cell: 'D3', clause: null,
    message: 'Дата «31.02.2024» не читается.' },
  { code: 'attestation.due', severity: 'warning', sheet: 'Состав', cell: 'A2', clause: 'разд. 6',
    message: 'Категория истекает.' },
  { code: 'meeting.no_signers', severity: 'error', sheet: 'Заседания', cell: 'B2', clause: 'п. 5.2(4)',
    message: 'Нет председателя.' },
  { code: 'meetings.too_few', severity: 'error', sheet: 'Заседания', cell: null, clause: 'п. 5.1(5)',
    message: 'Мало заседаний.' }
];

// ---------------------------------------------------------------- the manifest and the menu

test('the manifest asks for exactly the five scopes and allows fetching only the service', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ADDON, 'appsscript.json'), 'utf8'));
  assert.deepEqual([...manifest.oauthScopes].sort(), [
    'https://www.googleapis.com/auth/script.container.ui',
    'https://www.googleapis.com/auth/script.external_request',
    'https://www.googleapis.com/auth/spreadsheets.currentonly',
    'https://www.googleapis.com/auth/userinfo.email',
    'openid'
  ]);
  assert.equal(manifest.runtimeVersion, 'V8');
  const context = new World().load();
  assert.ok(manifest.urlFetchWhitelist.some((prefix) => (context.SERVICE_URL + '/').startsWith(prefix)),
            'SERVICE_URL must be covered by urlFetchWhitelist');
  manifest.urlFetchWhitelist.forEach((prefix) => assert.match(prefix, /^https:\/\/[^/]+\/$/));
  assert.match(fs.readFileSync(path.join(ADDON, 'Code.gs'), 'utf8'), /@OnlyCurrentDoc/);
});

test('onOpen builds the «МО-документы» menu with every action, in any authorisation mode', () => {
  const world = new World();
  const context = world.load();
  context.onOpen({ authMode: 'NONE' });
  const captions = world.menu.filter((i) => !i.separator).map((i) => i.caption);
  assert.deepEqual(captions, ['Проверить таблицу', 'Сформировать протокол…', 'Лист регистрации…', 'Приказ о составе',
                              'План работы', 'Анализ работы', 'Другие документы…', 'Убрать пометки', 'Настройки']);
  world.menu.filter((i) => !i.separator).forEach((item) => {
    assert.equal(typeof context[item.fn], 'function', `${item.fn} is a global function`);
    assert.ok(!item.fn.endsWith('_'), `${item.fn} must be public`);
  });
  assert.equal(world.requests.length, 0, 'opening the spreadsheet calls nobody');
});

test('a menu action opens the 300 px sidebar titled «МО-документы» with that action', () => {
  const world = new World();
  const context = world.load();
  context.showProtocol();
  assert.equal(world.sidebar.getTitle(), 'МО-документы');
  assert.match(world.sidebar.getContent(), /data-start="protocol"/);
  assert.match(world.sidebar.getContent(), /max-width: 300px/);
});

// ---------------------------------------------------------------- the payload

test('every tab is read once, dates become ISO strings in the spreadsheet\'s time zone', () => {
  const world = makeWorld({ respond: answerWith([]) });
  world.sheets.push(new FakeSheet(world, 'Диаграмма', 99, [], { type: 'OBJECT' }));
  const context = world.load();
  context.checkSheet();
  assert.equal(world.requests.length, 1, 'one request per action');
  for (const sheet of ['Сведения', 'Состав', 'Заседания']) {
    assert.equal(world.count(new RegExp(`^${sheet}!A1:[A-Z]+\\d+\\.getValues$`)), 1, `${sheet} read once`);
    assert.equal(world.count(new RegExp(`^${sheet}!A1:[A-Z]+\\d+\\.getDisplayValues$`)), 1);
  }
  const body = world.requests[0].body;
  assert.deepEqual(body.spreadsheet, { id: world.spreadsheet.id, name: 'ММО математиков',
    url: `https://docs.google.com/spreadsheets/d/${world.spreadsheet.id}/edit`, time_zone: 'Asia/Novosibirsk' });
  assert.deepEqual(body.sheets.map((s) => s.name), ['Сведения', 'Состав', 'Заседания'], 'a chart sheet has no cells');
  const meetings = body.sheets[2];
  // midnight in Novosibirsk is 17:00 the day before in UTC: the day the person sees is sent
  assert.deepEqual(meetings.values, [['№', 'Дата', 'Статус'], [1, '2024-09-24', 'проведено'],
                                     [2, '2024-12-10', 'запланировано']]);
  assert.deepEqual(meetings.display_values[1], ['1', '24.09.2024', 'проведено']);
  assert.equal(body.sheets[1].values[2][3], '31.02.2024', 'text that is no date stays text');
});

test('a date with a time keeps it; a time zone far from the script\'s does not move the day', () => {
  const world = new World({ timeZone: 'America/Los_Angeles', scriptTimeZone: 'Asia/Kamchatka',
                            tabs: { 'Заседания': [['№', 'Дата'], [1, null]] }, respond: answerWith([]) });
  world.sheet('Заседания').at('B2').value = world.date('2025-03-09T10:30');
  world.load().checkSheet();
  assert.equal(world.requests[0].body.sheets[0].values[1][1], '2025-03-09T10:30:00');
});

test('the request carries the ID token, JSON and nothing else', () => {
  const world = makeWorld({ respond: answerWith([]) });
  world.load().checkSheet();
  const r = world.requests[0];
  assert.equal(r.url, 'https://mo-docs.example.ru/api/v1/addon/check');
  assert.equal(r.method, 'post');
  assert.equal(r.headers.Authorization, 'Bearer test-id-token');
  assert.equal(r.contentType, 'application/json');
  assert.equal(r.options.muteHttpExceptions, true);
  assert.deepEqual(Object.keys(r.body).sort(), ['sheets', 'spreadsheet']);
});

test('a document request sends what the person chose with the same sheet payload', () => {
  const world = makeWorld({ respond: () => ({ status: 202, body: { job: { id: 'j1', state: 'queued' } } }) });
  const answer = world.load().requestDocument({ kind: 'protocol', meeting: 2, number: '', force: false, evil: 1 });
  assert.equal(answer.job.id, 'j1');
  const r = world.requests[0];
  assert.equal(r.url, 'https://mo-docs.example.ru/api/v1/addon/documents');
  assert.equal(r.body.kind, 'protocol');
  assert.equal(r.body.meeting, 2);
  assert.equal(r.body.force, false);
  assert.ok(!('number' in r.body) && !('evil' in r.body));
  assert.equal(r.body.sheets.length, 3);
});

test('polling a job is a GET of /api/v1/jobs/{id}', () => {
  const world = new World({ respond: () => ({ status: 200, body: { id: 'a/b', state: 'done' } }) });
  world.load().jobStatus('a/b');
  assert.equal(world.requests[0].method, 'get');
  assert.equal(world.requests[0].url, 'https://mo-docs.example.ru/api/v1/jobs/a%2Fb');
  assert.equal(world.requests[0].body, undefined);
});

// ---------------------------------------------------------------- failures

test('a refusal of the service comes back as its Russian message, not an exception', () => {
  const world = makeWorld({ respond: () => ({ status: 413, body: { error: { code: 'addon.too_large',
    message: 'В таблице больше 5 000 строк на листе «Состав».' } } }) });
  const answer = world.load().checkSheet();
  assert.deepEqual(plain(answer.error), { code: 'addon.too_large', message: 'В таблице больше 5 000 строк на листе «Состав».',
                                   details: null, status: 413 });
  assert.equal(world.calls.filter((c) => /setNotes|setBackground/.test(c)).length, 0, 'nothing marked');
});

test('a service that cannot be reached is named, in Russian', () => {
  const world = makeWorld({ respond: () => new Error('DNS error: mo-docs.example.ru') });
  assert.throws(() => world.load().checkSheet(), /Служба «МО-документы» недоступна \(https:\/\/mo-docs\.example\.ru\)/);
});

test('an answer that is not JSON (a proxy\'s error page) is a plain Russian sentence', () => {
  const world = makeWorld({ respond: () => ({ status: 502, body: '<html>Bad gateway</html>' }) });
  assert.equal(world.load().checkSheet().error.message, 'Служба ответила ошибкой 502. Повторите позже.');
});

test('without an ID token nothing is sent', () => {
  const world = makeWorld({ token: null });
  assert.equal(world.load().checkSheet().error.code, 'auth.no_token');
  assert.equal(world.requests.length, 0);
});

// ---------------------------------------------------------------- findings in the sheet

test('each finding\'s cell gets a note and a colour by severity, written in batches', () => {
  const world = makeWorld({ respond: answerWith(FINDINGS) });
  const answer = world.load().checkSheet();
  assert.equal(answer.marked, 3, 'the finding without a cell is only listed');
  const members = world.sheet('Состав');
  assert.equal(members.at('D3').background, ERROR_COLOUR);
  assert.equal(members.at('A2').background, WARNING_COLOUR);
  assert.match(members.at('D3').note, /^МО-документы ·\nОшибка: Дата «31\.02\.2024» не читается\.$/);
  assert.match(members.at('A2').note, /Предупреждение: Категория истекает\. \(разд\. 6\)/);
  assert.equal(world.sheet('Заседания').at('B2').background, ERROR_COLOUR);
  assert.equal(members.at('B2').background, null, 'cells between marked ones keep no fill');
  assert.equal(members.at('B2').note, '');
  // batched: per sheet one getNotes, one setNotes, one setBackground per colour
  assert.equal(world.count(/^Состав!.*\.setNotes$/), 1);
  assert.equal(world.count(/^Состав!.*\.getNotes$/), 1);
  assert.equal(world.count(/^Состав\.RangeList\.setBackground/), 2);
  assert.equal(world.count(/\.setNote$|\.setBackground$/), 0, 'no cell-by-cell writes');
});

test('two findings in one cell make one note, coloured by the worse', () => {
  const world = makeWorld({ respond: answerWith([
    { severity: 'warning', sheet: 'Состав', cell: 'C2', message: 'Первое.' },
    { severity: 'error', sheet: 'Состав', cell: 'C2', message: 'Второе.' }]) });
  world.load().checkSheet();
  const cell = world.sheet('Состав').at('C2');
  assert.equal(cell.background, ERROR_COLOUR);
  assert.equal(cell.note, 'МО-документы ·\nПредупреждение: Первое.\nОшибка: Второе.');
});

test('«Убрать пометки» restores exactly what was there and keeps a person\'s own note and fill', () => {
  const world = makeWorld({ respond: answerWith(FINDINGS) });
  const members = world.sheet('Состав');
  members.at('D3').note = 'Уточнить у секретаря';
  members.at('A2').background = '#b7e1cd';                 // the head's own green
  members.at('C3').note = 'Чужая заметка';                 // not marked at all
  const context = world.load();
  context.checkSheet();
  assert.equal(members.at('D3').note, 'МО-документы ·\nОшибка: Дата «31.02.2024» не читается.\n———\nУточнить у секретаря');
  assert.equal(context.clearMarks(), 3);
  assert.equal(members.at('D3').note, 'Уточнить у секретаря');
  assert.equal(members.at('D3').background, null, 'no fill again, not white');
  assert.equal(members.at('A2').background, '#b7e1cd');
  assert.equal(members.at('A2').note, '');
  assert.equal(members.at('C3').note, 'Чужая заметка');
  assert.equal(world.sheet('Заседания').at('B2').background, null);
  assert.equal(context.clearMarks(), 0, 'nothing left to remove');
  assert.equal(world.properties.getProperty('mo-docs.marks.parts'), '0');
});

test('a cell the person changed after the check keeps the change', () => {
  const world = makeWorld({ respond: answerWith(FINDINGS) });
  const context = world.load();
  context.checkSheet();
  const members = world.sheet('Состав');
  members.at('D3').note = 'Исправила, проверьте';        // the person wrote over our note
  members.at('A2').background = '#ff0000';              // and painted the cell
  context.clearMarks();
  assert.equal(members.at('D3').note, 'Исправила, проверьте');
  assert.equal(members.at('A2').background, '#ff0000');
  assert.equal(members.at('D3').background, null, 'the untouched mark is still removed');
});

test('checking again replaces the previous marks instead of piling them up', () => {
  let findings = FINDINGS;
  const world = makeWorld({ respond: () => answerWith(findings)() });
  const context = world.load();
  context.checkSheet();
  findings = [FINDINGS[2]];
  context.checkSheet();
  const members = world.sheet('Состав');
  assert.equal(members.at('D3').note, '');
  assert.equal(members.at('D3').background, null);
  assert.equal(world.sheet('Заседания').at('B2').note, 'МО-документы ·\nОшибка: Нет председателя. (п. 5.2(4))');
});

test('marks survive a renamed sheet; a deleted sheet is skipped', () => {
  const world = makeWorld({ respond: answerWith(FINDINGS) });
  const context = world.load();
  context.checkSheet();
  world.sheet('Состав').name = 'Состав МО';
  world.sheets = world.sheets.filter((s) => s.name !== 'Заседания');
  assert.equal(context.clearMarks(), 2);
  assert.equal(world.sheet('Состав МО').at('D3').background, null);
});

test('a thousand findings are remembered within the limits of document properties', () => {
  const rows = [['ФИО', 'Примечание']];
  for (let i = 0; i < 1000; i += 1) { rows.push([`Член ${i}`, '']); }
  const findings = rows.slice(1).map((r, i) => ({ severity: 'warning', sheet: 'Состав', cell: `B${i + 2}`,
                                                  message: `Замечание к строке ${i + 2}: проверьте должность.` }));
  const world = new World({ tabs: { 'Состав': rows }, respond: answerWith(findings) });
  world.sheet('Состав').at('B7').note = 'x'.repeat(2000);
  const context = world.load();
  assert.equal(context.checkSheet().marked, 1000);
  const parts = +world.properties.getProperty('mo-docs.marks.parts');
  assert.ok(parts > 1, 'the record is split over several properties');
  for (let i = 0; i < parts; i += 1) {
    assert.ok(world.properties.getProperty(`mo-docs.marks.${i}`).length <= PROPERTY_VALUE_LIMIT);
  }
  assert.equal(context.clearMarks(), 1000);
  assert.equal(world.sheet('Состав').at('B7').note, 'x'.repeat(2000));
  assert.equal(world.sheet('Состав').at('B500').background, null);
  assert.equal(world.properties.getProperty('mo-docs.marks.1'), null, 'old parts are deleted');
});

test('a note left by a lost record is recognised as the add-on\'s, not the person\'s', () => {
  const world = makeWorld({ respond: answerWith([FINDINGS[0]]) });
  world.sheet('Состав').at('D3').note = 'МО-документы ·\nОшибка: старое.\n———\nМоя заметка';
  const context = world.load();
  context.checkSheet();
  assert.equal(world.sheet('Состав').at('D3').note,
               'МО-документы ·\nОшибка: Дата «31.02.2024» не читается.\n———\nМоя заметка');
  context.clearMarks();
  assert.equal(world.sheet('Состав').at('D3').note, 'Моя заметка');
});

test('a finding outside the sheet\'s grid or on a missing tab marks nothing and breaks nothing', () => {
  const world = makeWorld({ respond: answerWith([
    { severity: 'error', sheet: 'Состав', cell: 'ZZ99999', message: 'далеко' },
    { severity: 'error', sheet: 'Нет такого', cell: 'A1', message: 'нет листа' },
    { severity: 'error', sheet: 'Состав', cell: 'B3:D3', message: 'строка' }]) });
  assert.equal(world.load().checkSheet().marked, 1);
  assert.equal(world.sheet('Состав').at('B3').background, ERROR_COLOUR);
});

test('marking can be switched off in the settings', () => {
  const world = makeWorld({ respond: answerWith(FINDINGS) });
  const context = world.load();
  assert.deepEqual(plain(context.getSettings()),
                   { service_url: 'https://mo-docs.example.ru', mark_cells: true, write_links: false });
  context.saveSettings({ mark_cells: false, write_links: true });
  assert.equal(context.checkSheet().marked, 0);
  assert.equal(world.sheet('Состав').at('D3').note, '');
  assert.equal(context.getSettings().write_links, true);
});

test('«Перейти к ячейке» opens the sheet at the cell', () => {
  const world = makeWorld();
  const context = world.load();
  context.goToCell('Состав', 'D3');
  assert.deepEqual({ ...world.active }, { sheet: 'Состав', range: 'D3' });
  assert.equal(context.goToCell('Нет такого', 'A1').error.code, 'sheet.missing');
  assert.equal(context.goToCell('Заседания', 'not a cell').cell, null);
  assert.deepEqual({ ...world.active }, { sheet: 'Заседания' }, 'the sheet opens even without a cell');
  assert.equal(context.goToCell('Заседания', 'ZZ99999').cell, 'ZZ99999');
});

test('«Убрать пометки» from the menu says how many cells, in Russian', () => {
  const world = makeWorld({ respond: answerWith(FINDINGS) });
  const context = world.load();
  context.checkSheet();
  context.clearMarksFromMenu();
  context.clearMarksFromMenu();
  assert.deepEqual(world.toasts.map((t) => t.message), ['Пометки убраны: 3 ячейки.', 'Пометок нет.']);
});

// ---------------------------------------------------------------- links in «Заседания»

const LAYOUT = { title: 'Заседания', header_row: 1, number_column: 1 };

test('a document\'s link goes into a new «Документы» column on its meeting\'s row', () => {
  const world = makeWorld();
  const context = world.load();
  const done = context.writeDocumentLink({ meeting: 2, kind_title: 'Протокол', name: 'Протокол №2 от 10.12.2024',
                                           url: 'https://drive.google.com/file/d/abc/view', sheet: LAYOUT });
  assert.deepEqual({ ...done }, { sheet: 'Заседания', cell: 'D3' });
  const sheet = world.sheet('Заседания');
  assert.equal(sheet.at('D1').value, 'Документы');
  assert.equal(sheet.at('D3').value, 'Протокол №2 от 10.12.2024');
  assert.deepEqual(sheet.at('D3').links, [{ start: 0, end: 25, url: 'https://drive.google.com/file/d/abc/view' }]);
});

test('an existing «Документы» column is used; a new protocol replaces the old one, other lines stay', () => {
  const world = new World({ tabs: { 'Заседания': [['№', 'Дата', ' документы ', 'Тема'], ['№1', '24.09.2024', '', 'А']] } });
  const context = world.load();
  const base = { meeting: 1, sheet: LAYOUT };
  context.writeDocumentLink({ ...base, kind_title: 'Лист регистрации', name: 'Лист регистрации №1',
                              url: 'https://mo.example.ru/d/1' });
  context.writeDocumentLink({ ...base, kind_title: 'Протокол', name: 'Протокол №1 от 23.09.2024',
                              url: 'https://mo.example.ru/d/2' });
  context.writeDocumentLink({ ...base, kind_title: 'Протокол', name: 'Протокол №1 от 24.09.2024',
                              url: 'https://mo.example.ru/d/3' });
  const cell = world.sheet('Заседания').at('C2');
  assert.equal(cell.value, 'Лист регистрации №1\nПротокол №1 от 24.09.2024');
  assert.deepEqual(cell.links.map((l) => l.url), ['https://mo.example.ru/d/1', 'https://mo.example.ru/d/3']);
  assert.equal(world.sheet('Заседания').at('E1').value, '', 'no second column');
});

test('a meeting number shown as «2,0» or «№2» is meeting 2, never 20', () => {
  const world = new World({ tabs: { 'Заседания': [['№', 'Дата'], [20, '01.03.2025'], [2, '10.12.2024']] } });
  world.sheet('Заседания').at('A3').display = '2,0';
  const done = world.load().writeDocumentLink({ meeting: 2, kind_title: 'Протокол', name: 'Протокол №2',
                                                url: 'https://mo.example.ru/d/2', sheet: LAYOUT });
  assert.equal(done.cell, 'C3');
  assert.equal(world.sheet('Заседания').at('C2').value, '');
});

test('a link is never written to the wrong row or as a script', () => {
  const world = makeWorld();
  const context = world.load();
  assert.equal(context.writeDocumentLink({ meeting: 7, name: 'x', url: 'https://a/', sheet: LAYOUT }).error.code,
               'meeting.missing');
  assert.equal(context.writeDocumentLink({ meeting: 1, name: 'x', url: 'javascript:alert(1)', sheet: LAYOUT })
    .error.code, 'link.invalid');
  assert.equal(world.sheet('Заседания').at('D1').value, '');
});

test('showClientId tells the deployer the audience the service must expect', () => {
  const claims = Buffer.from(JSON.stringify({ aud: '1234-abc.apps.googleusercontent.com', email: 'a@b.ru' }))
    .toString('base64url');
  const world = new World({ token: `eyJhbGciOiJSUzI1NiJ9.${claims}.c2ln` });
  assert.equal(world.load().showClientId(), '1234-abc.apps.googleusercontent.com');
  assert.deepEqual(world.logs, ['MO_DOCS_GOOGLE_ID_TOKEN_AUDIENCE=1234-abc.apps.googleusercontent.com']);
});
