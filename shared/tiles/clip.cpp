// Box clipping and simplification (see clip.h).
#include "shared/tiles/clip.h"

#include <cmath>

namespace doorstep::tiles {

namespace {
// One side of the box: keep points where inside(p) holds; cut edges at the side.
template <class Inside, class Cut>
Line clip_side(const Line& in, Inside inside, Cut cut) {
  Line out;
  if (in.empty()) return out;
  P prev = in.back();
  bool prev_in = inside(prev);
  for (const P& p : in) {
    const bool now_in = inside(p);
    if (now_in != prev_in) out.push_back(cut(prev, p));
    if (now_in) out.push_back(p);
    prev = p;
    prev_in = now_in;
  }
  return out;
}
P at_x(P a, P b, double x) { return P{x, a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)}; }
P at_y(P a, P b, double y) { return P{a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y), y}; }

double seg_dist2(P p, P a, P b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return ex * ex + ey * ey;
}

void dp(const Line& l, size_t a, size_t b, double tol2, std::vector<char>& keep) {
  // Iterative on an explicit stack: long outlines would otherwise recurse deeply.
  std::vector<std::pair<size_t, size_t>> stack{{a, b}};
  while (!stack.empty()) {
    auto [i, j] = stack.back();
    stack.pop_back();
    double best = -1;
    size_t at = i;
    for (size_t k = i + 1; k < j; ++k) {
      const double d = seg_dist2(l[k], l[i], l[j]);
      if (d > best) best = d, at = k;
    }
    if (best > tol2) {
      keep[at] = 1;
      stack.push_back({i, at});
      stack.push_back({at, j});
    }
  }
}
}  // namespace

Line clip_ring(const Line& ring, const Box& b) {
  Line r = clip_side(ring, [&](P p) { return p.x >= b.min_x; }, [&](P p, P q) { return at_x(p, q, b.min_x); });
  r = clip_side(r, [&](P p) { return p.x <= b.max_x; }, [&](P p, P q) { return at_x(p, q, b.max_x); });
  r = clip_side(r, [&](P p) { return p.y >= b.min_y; }, [&](P p, P q) { return at_y(p, q, b.min_y); });
  r = clip_side(r, [&](P p) { return p.y <= b.max_y; }, [&](P p, P q) { return at_y(p, q, b.max_y); });
  if (r.size() < 3) r.clear();
  return r;
}

std::vector<Line> clip_line(const Line& line, const Box& b) {
  std::vector<Line> out;
  Line cur;
  auto flush = [&] {
    if (cur.size() >= 2) out.push_back(cur);
    cur.clear();
  };
  for (size_t i = 0; i + 1 < line.size(); ++i) {
    // Liang-Barsky on the segment.
    const P a = line[i], c = line[i + 1];
    const double dx = c.x - a.x, dy = c.y - a.y;
    double t0 = 0, t1 = 1;
    bool visible = true;
    const double ps[4] = {-dx, dx, -dy, dy};
    const double qs[4] = {a.x - b.min_x, b.max_x - a.x, a.y - b.min_y, b.max_y - a.y};
    for (int k = 0; k < 4 && visible; ++k) {
      if (ps[k] == 0) {
        if (qs[k] < 0) visible = false;
      } else {
        const double t = qs[k] / ps[k];
        if (ps[k] < 0) t0 = std::max(t0, t);
        else t1 = std::min(t1, t);
        if (t0 > t1) visible = false;
      }
    }
    if (!visible) {
      flush();
      continue;
    }
    const P s{a.x + t0 * dx, a.y + t0 * dy}, e{a.x + t1 * dx, a.y + t1 * dy};
    if (cur.empty() || !(cur.back() == s)) {
      flush();
      cur.push_back(s);
    }
    cur.push_back(e);
    if (t1 < 1) flush();
  }
  flush();
  return out;
}

Line simplify(const Line& line, double tolerance, bool closed) {
  if (line.size() < 3 || tolerance <= 0) return line;
  Line l = line;
  if (closed) l.push_back(line.front());
  std::vector<char> keep(l.size(), 0);
  keep.front() = keep.back() = 1;
  if (closed) {
    // Anchor the ring at its farthest point from the first, so a square keeps its corners.
    size_t far = 0;
    double best = -1;
    for (size_t k = 1; k + 1 < l.size(); ++k) {
      const double d = (l[k].x - l[0].x) * (l[k].x - l[0].x) + (l[k].y - l[0].y) * (l[k].y - l[0].y);
      if (d > best) best = d, far = k;
    }
    keep[far] = 1;
    dp(l, 0, far, tolerance * tolerance, keep);
    dp(l, far, l.size() - 1, tolerance * tolerance, keep);
  } else {
    dp(l, 0, l.size() - 1, tolerance * tolerance, keep);
  }
  Line out;
  for (size_t k = 0; k < l.size(); ++k)
    if (keep[k]) out.push_back(l[k]);
  if (closed) {
    out.pop_back();
    if (out.size() < 3) out.clear();
  }
  return out;
}

}  // namespace doorstep::tiles
