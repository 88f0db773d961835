/*
 * Hearth operator console (docs/console.md). Plain JavaScript, no framework, no build step: each page is a static HTML
 * file whose <body data-page="..."> names the renderer below. The key the operator logs in with stays in this tab's
 * sessionStorage and goes to the hub as "Authorization: Bearer <key>"; nothing is ever written with innerHTML.
 */
(function () {
  'use strict';

  var KEY = 'hearth.console.key';
  var PAGES = [
    ['flow', 'Flow'], ['dead-letters', 'Dead letters'], ['community', 'Community'],
    ['cases', 'Cases'], ['campaigns', 'Campaigns'], ['privacy', 'Privacy']
  ];
  var COLOURS = ['#1f5fa8', '#b3410e', '#2e7d32', '#6a1b9a', '#8a6d00', '#00796b', '#ad1457', '#37474f', '#5d4037'];
  var me = { roles: [], operator: false };

  // ---- tiny DOM helpers ------------------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    attrs = attrs || {};
    Object.keys(attrs).forEach(function (k) {
      if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) return;
      if (k === 'text') e.textContent = attrs[k];
      else if (k.indexOf('on') === 0) e.addEventListener(k.substring(2), attrs[k]);
      else e.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
    return e;
  }

  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, children) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  function fmtTime(iso) {
    if (!iso) return '—';
    var d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toISOString().replace('T', ' ').substring(0, 19) + ' UTC';
  }

  function fmtNum(n, digits) {
    if (n === null || n === undefined || n < 0) return '—';
    return typeof digits === 'number' ? Number(n).toFixed(digits) : String(n);
  }

  /** A table: headers, rows of cells (strings, numbers or nodes), a caption for screen readers. */
  function table(caption, headers, rows, attrs) {
    return el('div', { 'class': 'table-wrap' }, [el('table', attrs || {}, [
      el('caption', { text: caption }),
      el('thead', {}, [el('tr', {}, headers.map(function (h) { return el('th', { scope: 'col', text: h }); }))]),
      el('tbody', {}, rows.length ? rows.map(function (r) {
        return el('tr', {}, r.map(function (c) {
          return el('td', {}, [c === null || c === undefined ? '—' : c]);
        }));
      }) : [el('tr', {}, [el('td', { colspan: headers.length, 'class': 'empty', text: 'nothing yet' })])])
    ])]);
  }

  function figure(label, value, hint, id) {
    return el('div', { 'class': 'figure', id: id }, [
      el('span', { 'class': 'figure-value', text: value }),
      el('span', { 'class': 'figure-label', text: label }),
      hint ? el('span', { 'class': 'figure-hint', text: hint }) : null
    ]);
  }

  function section(title, children, id) {
    var h = el('h2', { id: id ? id + '-title' : null, text: title });
    return el('section', { 'aria-labelledby': id ? id + '-title' : null, id: id }, [h].concat(children));
  }

  function status(text, error) {
    var s = document.getElementById('status');
    if (s) {
      s.textContent = text;
      s.className = error ? 'error' : '';
    }
  }

  // ---- auth and fetch --------------------------------------------------------------------------------------------

  function key() { return sessionStorage.getItem(KEY); }

  function toLogin() {
    sessionStorage.removeItem(KEY);
    location.replace('index.html?next=' + encodeURIComponent(location.pathname.split('/').pop()));
  }

  function api(method, path, body) {
    var init = { method: method, headers: { 'Authorization': 'Bearer ' + key(), 'Accept': 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (r) {
      if (r.status === 401) {
        toLogin();
        throw new Error('not logged in');
      }
      return r.text().then(function (t) {
        var json = null;
        try { json = t ? JSON.parse(t) : null; } catch (e) { json = null; }
        if (!r.ok) {
          var err = new Error((json && json.message) || ('HTTP ' + r.status));
          err.status = r.status;
          throw err;
        }
        return json;
      });
    });
  }

  // ---- charts (inline SVG; every chart also has its numbers as a table) -------------------------------------------

  /** series: [{name, values:[...]}], labels: x labels; returns an SVG line chart. */
  function lineChart(title, labels, series, opts) {
    opts = opts || {};
    var W = 640, H = 220, L = 44, R = 12, T = 12, B = 28;
    var min = opts.min !== undefined ? opts.min : 0, max = opts.max;
    if (max === undefined) {
      max = 1;
      series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null && v > max) max = v; }); });
    }
    var n = Math.max(labels.length, 2);
    function x(i) { return L + (W - L - R) * i / (n - 1); }
    function y(v) { return T + (H - T - B) * (1 - (v - min) / (max - min || 1)); }
    var summary = title + ': ' + series.map(function (s) {
      var sum = s.values.reduce(function (a, v) { return a + (v || 0); }, 0);
      return s.name + (opts.average ? '' : ' ' + Math.round(sum * 100) / 100 + ' in all');
    }).join(', ');
    var kids = [svg('title', {}, [summary])];
    [min, (min + max) / 2, max].forEach(function (v) {
      kids.push(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: '#c8ccd2', 'stroke-width': 1 }));
      kids.push(svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#333' },
        [String(Math.round(v * 100) / 100)]));
    });
    [0, Math.floor((labels.length - 1) / 2), labels.length - 1].forEach(function (i) {
      if (labels[i] === undefined) return;
      kids.push(svg('text', { x: x(i), y: H - 8, 'text-anchor': i === 0 ? 'start' : i === labels.length - 1 ? 'end' : 'middle',
        'font-size': 11, fill: '#333' }, [labels[i]]));
    });
    series.forEach(function (s, k) {
      var d = '';
      s.values.forEach(function (v, i) {
        if (v === null || v === undefined) return;
        d += (d ? ' L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1);
      });
      if (d) kids.push(svg('path', { d: d, fill: 'none', stroke: COLOURS[k % COLOURS.length], 'stroke-width': 2 }));
      if (s.values.length === 1 && s.values[0] !== null) {
        kids.push(svg('circle', { cx: x(0), cy: y(s.values[0]), r: 3, fill: COLOURS[k % COLOURS.length] }));
      }
    });
    var chart = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': summary, 'class': 'chart' }, kids);
    var legend = el('ul', { 'class': 'legend', 'aria-hidden': 'true' }, series.map(function (s, k) {
      return el('li', {}, [el('span', { 'class': 'swatch swatch-' + (k % COLOURS.length) }), s.name]);
    }));
    return el('figure', { 'class': 'chart-figure' }, [chart, legend, el('figcaption', { text: title })]);
  }

  // ---- pages -----------------------------------------------------------------------------------------------------

  var renderers = {};

  renderers.flow = function (root) {
    return api('GET', '/api/console/flow').then(function (f) {
      var rate = f.mentionsPerMinute;
      var start = new Date(rate.from).getTime();
      var labels = [];
      for (var i = 0; i < rate.minutes; i++) {
        labels.push(new Date(start + i * 60000).toISOString().substring(11, 16));
      }
      var channels = Object.keys(rate.channels);
      var series = channels.map(function (c) { return { name: c, values: rate.channels[c] }; });
      if (!series.length) series = [{ name: 'no mentions', values: labels.map(function () { return 0; }) }];
      var lastMinute = channels.reduce(function (a, c) { return a + rate.channels[c][rate.minutes - 1]; }, 0);
      var crm = f.crm || {};
      var budget = crm.limit ? Math.round(crm.used * 1000 / crm.limit) / 10 : null;
      root.appendChild(el('div', { 'class': 'figures' }, [
        figure('mentions in the last hour', String(rate.total), 'recorded in the mention log', 'mentions-hour'),
        figure('this minute', String(lastMinute)),
        figure('CRM writer', crm.writer || '—', crm.why ? crm.why + (crm.reason ? ': ' + crm.reason : '') : null, 'writer-state'),
        figure('CRM API used today', crm.limit ? crm.used + ' / ' + crm.limit : '—',
          budget === null ? 'from the last Sforce-Limit-Info' : budget + ' % of the daily limit'),
        figure('CRM calls per 1,000 mentions', crm.callsPer1000Mentions === null ? '—' : String(crm.callsPer1000Mentions),
          crm.apiCalls + ' calls / ' + crm.mentionsEnriched + ' mentions since start')
      ]));
      if (budget !== null) {
        root.appendChild(el('p', {}, [el('label', { 'for': 'budget', text: 'CRM API budget used today ' }),
          el('meter', { id: 'budget', min: 0, max: 100, low: 60, high: 85, optimum: 0, value: budget, text: budget + ' %' })]));
      }
      root.appendChild(section('Mentions per minute, last hour', [
        lineChart('Mentions per minute by channel, ' + labels[0] + '–' + labels[labels.length - 1] + ' UTC', labels, series),
        el('details', {}, [el('summary', { text: 'Show as table' }),
          table('Mentions per minute by channel', ['minute (UTC)'].concat(channels),
            labels.map(function (l, i) { return [l].concat(channels.map(function (c) { return rate.channels[c][i]; })); })
              .filter(function (r) { return r.slice(1).some(function (v) { return v > 0; }); }))])
      ], 'rate'));
      root.appendChild(section('Queues', [table('Queue depths and dead letters',
        ['stage queue', 'messages waiting', 'dead-letter queue', 'dead letters'],
        f.queues.map(function (q) {
          return [q.queue, fmtNum(q.depth), q.deadLetterQueue,
            q.deadLetters > 0 ? el('a', { href: 'dead-letters.html', text: String(q.deadLetters) }) : fmtNum(q.deadLetters)];
        }), { id: 'queues' })], 'queues-section'));
      root.appendChild(section('Sources', [table('Polling sources',
        ['source', 'status', 'reason when down', 'last good poll', 'next poll'],
        (f.sources || []).map(function (s) {
          return [s.source, el('span', { 'class': 'pill ' + (s.status === 'DOWN' ? 'down' : 'up'), text: s.status }),
            s.reason || s.lastError || '', fmtTime(s.lastSuccessAt), fmtTime(s.nextPoll)];
        }))], 'sources'));
      var d = f.directory || {};
      root.appendChild(section('Contact directory sync', [el('dl', { 'class': 'facts' }, [
        el('dt', { text: 'status' }), el('dd', { text: d.status || '—' }),
        el('dt', { text: 'details' }), el('dd', { text: Object.keys(d).filter(function (k) { return k !== 'status'; })
          .map(function (k) { return k + ': ' + (typeof d[k] === 'object' ? JSON.stringify(d[k]) : d[k]); }).join(' · ') || '—' })
      ])], 'directory'));
      status('Updated ' + fmtTime(f.at) + '; refreshes every 5 s.');
    });
  };
  renderers.flow.refreshEvery = 5000;

  renderers['dead-letters'] = function (root) {
    if (!me.operator) {
      return api('GET', '/api/console/dead-letters').then(function (d) {
        root.appendChild(el('p', { 'class': 'note', id: 'viewer-note',
          text: 'You are logged in as a viewer: you see how many messages each dead-letter queue holds. Listing, '
            + 'replaying and discarding them needs the operator key (their reasons may quote personal data).' }));
        root.appendChild(table('Dead-letter queues', ['queue', 'stage it replays to', 'messages'],
          d.queues.map(function (q) { return [q.queue, q.stage, fmtNum(q.count)]; }), { id: 'dlq-counts' }));
        status('Updated ' + fmtTime(new Date().toISOString()) + '.');
      });
    }
    return api('GET', '/api/dead-letters?limit=100').then(function (d) {
      d.queues.forEach(function (q) {
        var rows = q.messages.map(function (m) {
          var label = m.id + ' in ' + q.queue;
          return [
            el('code', { text: m.id }), m.failedRoute || '—',
            el('span', { 'class': 'reason', text: m.reason || '—' }),
            fmtTime(m.firstFailedAt), fmtTime(m.lastFailedAt),
            fmtNum(m.attempts), m.channel || '—',
            el('span', { 'class': 'actions' }, [
              el('button', { type: 'button', 'class': 'replay', 'data-id': m.id, 'aria-label': 'Replay ' + label,
                text: 'Replay', onclick: function () {
                  confirmThen('Replay message ' + m.id + ' from ' + q.queue + ' to ' + q.stage + '?', 'Replay', function () {
                    return api('POST', '/api/dead-letters/' + encodeURIComponent(q.queue) + '/' + encodeURIComponent(m.id) + '/replay');
                  });
                } }),
              el('button', { type: 'button', 'class': 'discard danger', 'data-id': m.id, 'aria-label': 'Discard ' + label,
                text: 'Discard', onclick: function () {
                  confirmThen('Discard message ' + m.id + ' from ' + q.queue + '? It cannot be brought back.', 'Discard', function () {
                    return api('DELETE', '/api/dead-letters/' + encodeURIComponent(q.queue) + '/' + encodeURIComponent(m.id));
                  });
                } })
            ])
          ];
        });
        var header = [
          q.count > 0 ? el('button', { type: 'button', 'class': 'replay-all', 'data-queue': q.queue,
            text: 'Replay all ' + q.count, onclick: function () {
              confirmThen('Replay all ' + q.count + ' messages of ' + q.queue + ' to ' + q.stage + '?', 'Replay all', function () {
                return api('POST', '/api/dead-letters/' + encodeURIComponent(q.queue) + '/replay');
              });
            } }) : null,
          el('p', { text: q.count + ' message(s); oldest failure ' + fmtTime(q.oldest) + '; replays go to ' + q.stage + '.' })
        ];
        root.appendChild(section(q.queue, header.concat([table('Messages of ' + q.queue,
          ['id', 'failed route', 'reason', 'first failure', 'last failure', 'attempts', 'channel', 'actions'], rows,
          { 'data-queue': q.queue })]), 'q-' + q.queue.replace(/[^A-Za-z0-9]/g, '-')));
      });
      status('Updated ' + fmtTime(new Date().toISOString()) + '.');
    });
  };

  /** A modal confirmation (<dialog>): Escape or Cancel closes it, the action runs only on the confirm button. */
  function confirmThen(question, verb, action) {
    var dialog = document.getElementById('confirm');
    if (!dialog) {
      dialog = el('dialog', { id: 'confirm', 'aria-labelledby': 'confirm-q' }, [
        el('p', { id: 'confirm-q' }),
        el('div', { 'class': 'dialog-buttons' }, [
          el('button', { type: 'button', id: 'confirm-no', text: 'Cancel' }),
          el('button', { type: 'button', id: 'confirm-yes', 'class': 'primary' })
        ])
      ]);
      document.body.appendChild(dialog);
    }
    document.getElementById('confirm-q').textContent = question;
    var yes = document.getElementById('confirm-yes');
    var no = document.getElementById('confirm-no');
    yes.textContent = verb;
    yes.onclick = function () {
      dialog.close();
      status(verb + '…');
      action().then(function (answer) {
        var done = answer && (answer.replayed !== undefined ? answer.replayed + ' replayed'
          : answer.discarded !== undefined ? answer.discarded + ' discarded' : JSON.stringify(answer));
        refresh().then(function () { status(verb + ': ' + done + '.'); });
      }, function (e) {
        status(verb + ' failed: ' + e.message, true);
      });
    };
    no.onclick = function () { dialog.close(); };
    dialog.showModal();
    no.focus();
  }

  renderers.community = function (root) {
    return api('GET', '/api/console/community').then(function (c) {
      var boards = el('div', { id: 'boards' });
      root.appendChild(section('Leaderboards (' + c.programme + ')', [boards], 'leaderboards'));
      var loads = c.leaderboards.map(function (b) {
        return api('GET', '/api/rules/leaderboards/' + encodeURIComponent(b.key) + '?limit=10').then(function (s) {
          boards.appendChild(table(b.key + ' (' + b.period + ' ' + s.period + ')', ['rank', 'contact', 'points'],
            s.standings.map(function (st, i) { return [i + 1, el('code', { text: st.contactId }), st.points]; })));
        });
      });
      if (!c.leaderboards.length) boards.appendChild(el('p', { text: 'The rules in force define no leaderboard.' }));
      root.appendChild(section('Advocates', [table('Advocates with tier and why',
        ['contact', 'tier', 'advocate since', 'the numbers that put them there'],
        c.advocates.map(function (a) { return [el('code', { text: a.contactId }), a.tier, fmtTime(a.since), a.reason]; }))],
        'advocates'));
      root.appendChild(section('Recent rewards and badges', [table('Last ' + c.rewards.length + ' rewards',
        ['awarded', 'rule', 'contact', 'points', 'badge', 'why'],
        c.rewards.map(function (r) {
          return [fmtTime(r.awardedAt), r.rule, el('code', { text: r.contactId }), r.points, r.badge, r.reason];
        }))], 'rewards'));
      root.appendChild(section('Prize draws', [
        el('p', { 'class': 'note', text: 'points = min + SHA-256(seed ":" reward key) mod (max − min + 1): anyone with the '
          + 'seed can recompute a result; "verified" means the hub recomputed it and got the recorded points.' }),
        table('Prize draws and their audit', ['awarded', 'rule', 'contact', 'seed', 'reward key', 'range', 'result', 'verified'],
          c.draws.map(function (d) {
            return [fmtTime(d.awardedAt), d.rule, el('code', { text: d.contactId }), el('code', { text: d.seed }),
              el('code', { text: d.rewardKey }), d.min + '–' + d.max, d.points, d.verified ? 'yes' : 'NO'];
          }))], 'draws'));
      var prospects = el('div', { id: 'prospects-result' });
      var input = el('input', { id: 'hashtag', name: 'hashtag', type: 'text', required: true, pattern: '#?[A-Za-z0-9_]+',
        value: c.campaignHashtags[0] || '' });
      var form = el('form', { 'class': 'inline', onsubmit: function (e) {
        e.preventDefault();
        prospects.textContent = '';
        api('GET', '/api/rules/prospects?limit=20&hashtag=' + encodeURIComponent(input.value.replace(/^#/, '')))
          .then(function (p) {
            prospects.appendChild(table('Unknown authors who used #' + p.hashtag + ' in the last ' + p.days + ' days',
              ['channel', 'handle', 'posts', 'reach', 'last post'],
              p.prospects.map(function (x) { return [x.channel, x.handle, x.posts, x.reach, fmtTime(x.lastPostAt)]; })));
          }, function (e) { prospects.appendChild(el('p', { 'class': 'error', text: e.message })); });
      } }, [el('label', { 'for': 'hashtag', text: 'Hashtag ' }), input, el('button', { type: 'submit', text: 'Find prospects' })]);
      root.appendChild(section('Prospects for a hashtag', [
        el('p', { 'class': 'note', text: 'Authors the CRM does not know who used the hashtag: worth recruiting, never created '
          + 'as contacts (no consent).' }), form, prospects], 'prospects'));
      return Promise.all(loads).then(function () { status('Updated ' + fmtTime(new Date().toISOString()) + '.'); });
    });
  };

  renderers.cases = function (root) {
    return api('GET', '/api/console/cases').then(function (c) {
      root.appendChild(table('Recent social cases (newest activity first)',
        ['last activity', 'opened', 'contact', 'priority', 'why', 'conversation'],
        c.cases.map(function (k) {
          return [fmtTime(k.lastAt), fmtTime(k.openedAt), k.contactId ? el('code', { text: k.contactId }) : 'unknown author',
            el('span', { 'class': 'pill prio-' + k.priority.toLowerCase(), text: k.priority }),
            k.reason || k.rule || '—',
            el('ol', { 'class': 'conversation' }, k.conversation.map(function (p) {
              return el('li', {}, [fmtTime(p.createdAt) + ' · ' + (p.channel || '?') + ' · ' + (p.intent || 'other')
                + (p.sentiment !== null ? ' · sentiment ' + p.sentiment.toFixed(2) : '')
                + (p.influence !== null ? ' · influence ' + p.influence : '') + ' · ' + p.priority]);
            }))];
        }), { id: 'cases-table' }));
      status(c.cases.length + ' case(s); updated ' + fmtTime(new Date().toISOString()) + '.');
    });
  };

  renderers.campaigns = function (root) {
    return api('GET', '/api/console/campaigns').then(function (c) {
      if (!c.campaigns.length) {
        root.appendChild(el('p', { text: 'The rules in force (config/rules.yml) define no campaign (a reward with hashtags).' }));
      }
      c.campaigns.forEach(function (k) {
        var labels = k.days.map(function (d) { return d.day; });
        var when = k.from || k.until ? (k.from || '…') + ' – ' + (k.until || '…')
          : k.withinDays ? 'posts of the last ' + k.withinDays + ' days' : 'no end';
        root.appendChild(section(k.key + ' · #' + k.hashtags.join(' #'), [
          el('p', { text: k.action + ' reward; ' + when + '.' }),
          el('div', { 'class': 'figures' }, [
            figure('participants', String(k.participants), 'contacts rewarded'),
            figure('rewards', String(k.rewards)),
            figure('points', String(k.points)),
            figure('reach', String(k.reach), 'followers × (1 + engagement), summed'),
            figure('mentions', String(k.mentions), 'with the hashtag, in the mention log')
          ]),
          el('div', { 'class': 'charts' }, [
            lineChart('Points per day', labels, [{ name: 'points', values: k.days.map(function (d) { return d.points; }) }]),
            lineChart('Average sentiment per day (−1..1)', labels,
              [{ name: 'sentiment', values: k.days.map(function (d) { return d.sentiment; }) }],
              { min: -1, max: 1, average: true })
          ]),
          el('details', {}, [el('summary', { text: 'Show as table' }), table('Per day', ['day', 'points', 'mentions', 'sentiment'],
            k.days.map(function (d) { return [d.day, d.points, d.mentions, d.sentiment === null ? '—' : d.sentiment.toFixed(2)]; }))]),
          table('Top interests of its mentions', ['interest', 'mentions'],
            k.topInterests.map(function (i) { return [i.interest, i.mentions]; }))
        ], 'campaign-' + k.key));
      });
      status(c.campaigns.length + ' campaign(s); updated ' + fmtTime(new Date().toISOString()) + '.');
    });
  };

  renderers.privacy = function (root) {
    return api('GET', '/api/console/privacy').then(function (p) {
      var l = p.linkCodes;
      root.appendChild(section('Link codes', [el('div', { 'class': 'figures' }, [
        figure('issued', String(l.issued)), figure('used', String(l.used)), figure('open', String(l.open), 'not used, not expired'),
        figure('expired unused', String(l.expired)), figure('authors locked out', String(l.lockedAuthors), 'too many wrong codes')
      ])], 'links'));
      var by = p.erasuresByStatus;
      root.appendChild(section('Erasure requests', [
        el('div', { 'class': 'figures' }, Object.keys(by).map(function (s) { return figure(s, String(by[s])); })),
        table('Latest erasure requests', ['requested', 'subject', 'state', 'finished', 'attempts', 'last error', 'erased'],
          p.erasures.map(function (e) {
            return [fmtTime(e.requestedAt), e.subjectKind, el('span', { 'class': 'pill ' + e.status, text: e.status }),
              fmtTime(e.finishedAt), e.attempts, e.lastError, e.counts];
          }))], 'erasures'));
      status('Updated ' + fmtTime(new Date().toISOString()) + '.');
    });
  };

  // ---- page frame ------------------------------------------------------------------------------------------------

  var page = document.body.getAttribute('data-page');
  var busy = false;

  function refresh() {
    if (busy) return Promise.resolve();
    busy = true;
    var root = document.getElementById('content');
    var next = el('div', { id: 'content', 'aria-busy': 'true' });
    return renderers[page](next).then(function () {
      next.removeAttribute('aria-busy');
      root.replaceWith(next);
      document.body.setAttribute('data-loaded', String(Date.now()));
    }, function (e) {
      status(e.status === 403 ? 'Your key may not see this (403).' : 'Could not load: ' + e.message, true);
    }).then(function () { busy = false; });
  }

  function frame() {
    var nav = document.getElementById('nav');
    nav.appendChild(el('ul', {}, PAGES.map(function (p) {
      return el('li', {}, [el('a', { href: p[0] + '.html', 'aria-current': p[0] === page ? 'page' : null, text: p[1] })]);
    })));
    document.getElementById('logout').addEventListener('click', function () {
      sessionStorage.removeItem(KEY);
      location.replace('index.html');
    });
    var r = document.getElementById('refresh');
    if (r) r.addEventListener('click', refresh);
  }

  function login() {
    var form = document.getElementById('login');
    var next = new URLSearchParams(location.search).get('next');
    if (!next || !/^[a-z-]+\.html$/.test(next) || next === 'index.html') next = 'flow.html';
    if (key()) {
      location.replace(next);
      return;
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var typed = document.getElementById('key').value.trim();
      var message = document.getElementById('login-error');
      message.textContent = '';
      fetch('/api/console/me', { headers: { 'Authorization': 'Bearer ' + typed } }).then(function (r) {
        if (r.ok) {
          sessionStorage.setItem(KEY, typed);
          location.replace(next);
        } else {
          message.textContent = r.status === 401 ? 'That key is not known to this hub.'
            : r.status === 403 ? 'That key may not use the console (it needs the viewer or operator role).'
            : 'The hub answered ' + r.status + '.';
          document.getElementById('key').focus();
        }
      }, function () { message.textContent = 'The hub cannot be reached.'; });
    });
  }

  if (page === 'login') {
    login();
    return;
  }
  if (!key()) {
    toLogin();
    return;
  }
  frame();
  api('GET', '/api/console/me').then(function (m) {
    me = m;
    var who = document.getElementById('who');
    who.textContent = 'Role: ' + (m.operator ? 'operator' : 'viewer');
    document.body.setAttribute('data-role', m.operator ? 'operator' : 'viewer');
    return refresh();
  }).then(function () {
    if (renderers[page].refreshEvery) setInterval(refresh, renderers[page].refreshEvery);
  }, function (e) { status('Could not load: ' + e.message, true); });
})();
