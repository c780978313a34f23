// Timeline page: switch the time zone of every label, and show an event's details.
// The page works without this script: labels are in UTC and the table holds everything.
(function () {
  "use strict";

  let pageEvents = new Map();
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function parts(date, zone) {
    const options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (zone) options.timeZone = zone;
    const out = {};
    for (const p of new Intl.DateTimeFormat("en-GB", options).formatToParts(date)) out[p.type] = p.value;
    return out;
  }

  function zoneName(date, zone) {
    const options = { timeZoneName: "short" };
    if (zone) options.timeZone = zone;
    const found = new Intl.DateTimeFormat("en-US", options).formatToParts(date).find((p) => p.type === "timeZoneName");
    return found ? found.value : "";
  }

  // A label keeps its shape: data-fmt says time, datetime or date; a tooltip in a picture
  // takes the picture's; without either, a bare "06:48" stays a time and anything longer
  // keeps its date.
  function shapeOf(el) {
    if (!el.dataset.original) {
      el.dataset.original = el.textContent;
      const picture = el.closest("svg[data-fmt]");
      if (!el.dataset.fmt) el.dataset.fmt = picture ? picture.dataset.fmt : /^\d{1,2}:\d{2}( UTC)?$/.test(el.textContent.trim()) ? "time" : "full";
    }
    return el.dataset.fmt;
  }

  // A tooltip keeps its text around the time: data-at is where the time starts, and it
  // runs to the " UTC" after it.
  function around(el) {
    const text = el.dataset.original;
    const at = Number(el.dataset.at);
    const end = el.dataset.at === undefined ? -1 : text.indexOf(" UTC", at);
    return end < 0 ? null : [text.slice(0, at), text.slice(end + 4)];
  }

  function label(el, mode, sourceZone) {
    const shape = shapeOf(el);
    if (mode === "utc") { el.textContent = el.dataset.original; return; }
    const sides = around(el);
    const wrap = (core) => (sides ? sides[0] + core + sides[1] : core);
    if (mode === "offset") {
      el.textContent = el.dataset.offset ? wrap(el.dataset.offset) : el.dataset.original;
      return;
    }
    const date = new Date(el.dataset.utc);
    if (isNaN(date)) return;
    const zone = mode === "source" ? sourceZone : undefined;
    const p = parts(date, zone);
    const time = `${p.hour}:${p.minute}`;
    const day = `${Number(p.day)} ${MONTHS[Number(p.month) - 1]}`;
    const suffix = zoneName(date, zone);
    let core;
    if (shape === "time") core = time;
    else if (shape === "date") core = day;
    else if (shape === "datetime") core = `${day} ${time}`;
    else core = `${p.year}-${p.month}-${p.day} ${time} ${suffix}`;
    if (el.tagName.toLowerCase() === "title" && shape !== "full") core += ` ${suffix}`;
    el.textContent = wrap(core);
  }

  function relabel(mode) {
    const source = document.querySelector('input[name="tz"][value="source"]');
    const sourceZone = source ? source.dataset.zone : "UTC";
    document.querySelectorAll(".t[data-utc]").forEach((el) => label(el, mode, sourceZone));
    const captions = { utc: "Times in UTC", local: `Times in ${Intl.DateTimeFormat().resolvedOptions().timeZone || "your zone"}`, source: `Times in ${sourceZone}`, offset: "Time since the incident start (T+hh:mm)" };
    document.querySelectorAll("svg .tz").forEach((el) => {
      if (!el.dataset.original) el.dataset.original = el.textContent;
      el.textContent = mode === "utc" ? el.dataset.original : captions[mode];
    });
    document.documentElement.dataset.tzMode = mode;
  }

  function text(tag, content, className) {
    const el = document.createElement(tag);
    el.textContent = content;
    if (className) el.className = className;
    return el;
  }

  function showEvent(events, id) {
    const event = events.get(String(id));
    const panel = document.getElementById("event-detail");
    if (!event) {
      // Another page's event: the server finds its page (?event=<id>).
      if (/^\d+$/.test(String(id))) window.location.assign(`?event=${id}`);
      return;
    }
    if (!panel) return;
    panel.replaceChildren(text("h2", event.title));
    const when = text("p", "", "mono");
    const time = text("time", `${event.at.slice(0, 10)} ${event.at.slice(11, 16)} UTC`, "t");
    time.dataset.utc = event.at;
    time.dataset.offset = event.offset || "";
    when.append(time, ` · ${event.offset || ""} · ${event.kind} · ${event.precision} precision`);
    panel.append(when);
    if (event.services.length) panel.append(text("p", event.services.map((s) => s.name).join(", "), "meta"));
    if (event.description) panel.append(text("p", event.description));
    if (event.quote) panel.append(text("blockquote", `“${event.quote}”`, "quote"));
    if (event.source) {
      const line = text("p", "Source: ", "meta");
      if (event.source.url) {
        const link = text("a", event.source.title || event.source.url);
        link.href = event.source.url;
        link.rel = "noopener noreferrer";
        line.append(link);
      } else {
        line.append(event.source.title);
      }
      if (event.source_timezone) line.append(` (times stated in ${event.source_timezone})`);
      panel.append(line);
    }
    const current = document.querySelector('input[name="tz"]:checked');
    if (current) relabel(current.value);
    document.querySelectorAll("[data-event-id].selected").forEach((el) => el.classList.remove("selected"));
    document.querySelectorAll(`[data-event-id="${CSS.escape(String(id))}"]`).forEach((el) => el.classList.add("selected"));
  }

  // Choosing a service in the cascade graph (click, or keyboard focus) highlights its
  // lane in the swimlanes and lists its events beside them.
  function chooseService(payload, events, id) {
    const key = String(id);
    document.querySelectorAll(".chosen[data-service-id], .chosen[data-service-ids]").forEach((el) => el.classList.remove("chosen"));
    // A service past the picture's lane limit is drawn in its depth's grouped lane.
    document.querySelectorAll(`[data-service-id="${CSS.escape(key)}"], [data-service-ids~="${CSS.escape(key)}"]`).forEach((el) => {
      if (el.closest("svg")) el.classList.add("chosen");
    });
    const panel = document.getElementById("event-detail");
    const service = (payload.services || []).find((s) => String(s.id) === key);
    if (!panel || !service) return;
    panel.replaceChildren(text("h2", service.name));
    const impact = service.window || {};
    const span = text("p", "", "mono");
    const from = text("time", `${(impact.started_at || "").slice(0, 10)} ${(impact.started_at || "").slice(11, 16)} UTC`, "t");
    from.dataset.utc = impact.started_at || "";
    span.append(`${impact.level || ""} · from `, from, impact.ended_at ? "" : " · not recovered");
    if (impact.ended_at) {
      const to = text("time", `${impact.ended_at.slice(0, 10)} ${impact.ended_at.slice(11, 16)} UTC`, "t");
      to.dataset.utc = impact.ended_at;
      span.append(" to ", to);
    }
    panel.append(span, text("p", `Depth ${service.depth} in the cascade`, "meta"));
    const own = [...events.values()].filter((e) => e.services.some((s) => String(s.id) === key));
    if (!own.length) { panel.append(text("p", "No events name this service.", "muted")); return; }
    panel.append(text("p", `${own.length} event${own.length === 1 ? "" : "s"}:`, "meta"), eventList(own));
    const current = document.querySelector('input[name="tz"]:checked');
    if (current) relabel(current.value);
  }

  // Drag across the swimlanes to zoom into that stretch of time; a grouped marker
  // zooms into the events it holds. The server draws the new view (and regroups the
  // markers at its scale), so the page only names the window.
  function zoomTo(startMs, endMs) {
    const url = new URL(window.location.href);
    url.searchParams.delete("view");
    url.searchParams.delete("page");
    url.searchParams.set("from", new Date(startMs).toISOString());
    url.searchParams.set("to", new Date(endMs).toISOString());
    url.hash = "swimlanes";
    window.location.assign(url.toString());
  }

  function enableZoom(svg) {
    const left = Number(svg.dataset.plotLeft);
    const right = Number(svg.dataset.plotRight);
    const start = Date.parse(svg.dataset.viewStart);
    const end = Date.parse(svg.dataset.viewEnd);
    if (!(right > left) || isNaN(start) || isNaN(end)) return;
    const toUser = (clientX) => {
      const point = svg.createSVGPoint();
      point.x = clientX;
      point.y = 0;
      return point.matrixTransform(svg.getScreenCTM().inverse()).x;
    };
    const toTime = (x) => start + ((Math.min(Math.max(x, left), right) - left) / (right - left)) * (end - start);
    let from = null;
    let band = null;
    svg.addEventListener("pointerdown", (e) => {
      if (e.button !== 0 || e.target.closest(".marker, .marker-group")) return;
      from = toUser(e.clientX);
      band = document.createElementNS("http://www.w3.org/2000/svg", "rect");
      band.setAttribute("class", "zoom-band");
      band.setAttribute("y", "0");
      band.setAttribute("height", svg.viewBox.baseVal.height);
      band.setAttribute("fill", "rgba(25,118,210,.15)");
      band.setAttribute("stroke", "#1976d2");
      svg.append(band);
      svg.setPointerCapture(e.pointerId);
    });
    svg.addEventListener("pointermove", (e) => {
      if (from === null) return;
      const to = toUser(e.clientX);
      band.setAttribute("x", Math.min(from, to));
      band.setAttribute("width", Math.abs(to - from));
    });
    svg.addEventListener("pointerup", (e) => {
      if (from === null) return;
      const to = toUser(e.clientX);
      const wide = Math.abs(to - from) >= 8;
      const a = toTime(Math.min(from, to));
      const b = toTime(Math.max(from, to));
      from = null;
      band.remove();
      if (wide && b - a >= 60000) zoomTo(a, b);
    });
    svg.addEventListener("click", (e) => {
      const group = e.target.closest(".marker-group");
      if (group) zoomToGroup(group);
    });
    svg.addEventListener("keydown", (e) => {
      const group = e.target.closest && e.target.closest(".marker-group");
      if (group && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); zoomToGroup(group); }
    });
  }

  // Events listed as buttons that open each one; used for a service and for a group.
  function eventList(own) {
    const list = document.createElement("ul");
    list.className = "service-events";
    for (const event of own) {
      const item = document.createElement("li");
      const button = text("button", event.title, "link select-event");
      button.type = "button";
      button.dataset.eventId = event.id;
      item.append(text("span", `${event.offset || event.at.slice(11, 16)} ${event.kind} `, "mono meta"), button);
      list.append(item);
    }
    return list;
  }

  function zoomToGroup(group) {
    const a = Date.parse(group.dataset.from);
    const b = Date.parse(group.dataset.to);
    if (isNaN(a) || isNaN(b)) return;
    if (b - a < 60000) {
      // Reported at the same minute: no zoom tells them apart, so list them.
      const panel = document.getElementById("event-detail");
      const ids = group.dataset.eventIds.split(" ");
      const own = ids.map((id) => pageEvents.get(id)).filter(Boolean);
      if (!panel) return;
      panel.replaceChildren(text("h2", `${ids.length} events at the same minute`));
      if (own.length) panel.append(eventList(own));
      if (own.length < ids.length) panel.append(text("p", "Some are on other pages of the table.", "muted"));
      return;
    }
    const pad = Math.max((b - a) * 0.25, 60000);
    zoomTo(a - pad, b + pad);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("#swimlanes svg.cz-timeline").forEach(enableZoom);
    // A graph wider than its frame opens with the origin in view, not its left margin.
    document.querySelectorAll(".svgwrap").forEach((frame) => {
      const origin = frame.querySelector("svg.cz-cascade .node");
      if (!origin || frame.scrollWidth <= frame.clientWidth) return;
      const box = origin.getBoundingClientRect();
      const frameBox = frame.getBoundingClientRect();
      frame.scrollLeft += box.left + box.width / 2 - (frameBox.left + frame.clientWidth / 2);
    });
    const data = document.getElementById("timeline-data");
    const payload = data ? JSON.parse(data.textContent) : { events: [] };
    const events = new Map(payload.events.map((e) => [String(e.id), e]));
    pageEvents = events;
    const local = document.querySelector("[data-local-zone]");
    if (local) local.textContent = Intl.DateTimeFormat().resolvedOptions().timeZone || "local";

    document.querySelectorAll('input[name="tz"]').forEach((input) => {
      input.addEventListener("change", () => relabel(input.value));
    });
    document.addEventListener("click", (e) => {
      const target = e.target.closest(".marker[data-event-id], .select-event[data-event-id]");
      if (target) showEvent(events, target.dataset.eventId);
      const node = e.target.closest(".cz-cascade .node[data-service-id]");
      if (node) chooseService(payload, events, node.dataset.serviceId);
    });
    document.addEventListener("focusin", (e) => {
      const node = e.target.closest && e.target.closest(".cz-cascade .node[data-service-id]");
      if (node) chooseService(payload, events, node.dataset.serviceId);
    });
    document.addEventListener("keydown", (e) => {
      if (e.key !== "Enter" && e.key !== " ") return;
      const target = e.target.closest && e.target.closest(".marker[data-event-id]");
      if (target) { e.preventDefault(); showEvent(events, target.dataset.eventId); }
    });
  });
})();
