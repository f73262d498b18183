// TSP heuristics (see tour.h). The tour lives in an array (t) with its inverse (pos); a 2-opt move
// reverses the shorter side, an Or-opt move shifts the shorter block. Kicks are accepted when the
// result is no longer than the best tour; otherwise the touched positions are restored from it.
#include "shared/route/tour.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "shared/base/hash.h"

namespace doorstep::tour {

int64_t closed_length(const CostModel& m, const std::vector<int>& t) {
  int64_t len = 0;
  for (size_t i = 0; i < t.size(); ++i) len += m.cost(t[i], t[(i + 1) % t.size()]);
  return len;
}

int64_t path_length(const CostModel& m, const std::vector<int>& t) {
  int64_t len = 0;
  for (size_t i = 1; i < t.size(); ++i) len += m.cost(t[i - 1], t[i]);
  return len;
}

uint64_t order_checksum(const std::vector<int>& order) {
  uint64_t h = hash::kFnv1aOffset;
  for (int v : order) h = hash::fnv1a_u32(static_cast<uint32_t>(v), h);
  return h;
}

std::vector<int> nearest_neighbours(const std::vector<double>& x, const std::vector<double>& y, int k) {
  const int n = static_cast<int>(x.size());
  std::vector<int> out(static_cast<size_t>(n) * k, -1);
  if (n <= 1 || k <= 0) return out;
  double minx = x[0], maxx = x[0], miny = y[0], maxy = y[0];
  for (int i = 1; i < n; ++i) {
    minx = std::min(minx, x[i]);
    maxx = std::max(maxx, x[i]);
    miny = std::min(miny, y[i]);
    maxy = std::max(maxy, y[i]);
  }
  double w = maxx - minx, h = maxy - miny;
  double area = std::max(w, 1e-9) * std::max(h, 1e-9);
  double cs = std::sqrt(area * 2.0 / n);  // about two points per cell
  if (!(cs > 0)) cs = 1;
  cs = std::max(cs, std::max(w, h) / 2048.0);
  if (!(cs > 0)) cs = 1;
  int gx = std::max(1, static_cast<int>(w / cs) + 1), gy = std::max(1, static_cast<int>(h / cs) + 1);
  std::vector<int> cell_of(n), start(static_cast<size_t>(gx) * gy + 1, 0), items(n);
  for (int i = 0; i < n; ++i) {
    int cx = std::min(gx - 1, static_cast<int>((x[i] - minx) / cs));
    int cy = std::min(gy - 1, static_cast<int>((y[i] - miny) / cs));
    cell_of[i] = cy * gx + cx;
    ++start[cell_of[i] + 1];
  }
  for (size_t c = 1; c < start.size(); ++c) start[c] += start[c - 1];
  {
    std::vector<int> fill(start.begin(), start.end() - 1);
    for (int i = 0; i < n; ++i) items[fill[cell_of[i]]++] = i;  // ascending index within a cell
  }
  struct Cand {
    double d2;
    int j;
    bool operator<(const Cand& o) const { return d2 != o.d2 ? d2 < o.d2 : j < o.j; }
  };
  std::vector<Cand> best;
  best.reserve(k + 1);
  for (int i = 0; i < n; ++i) {
    best.clear();
    int cx = cell_of[i] % gx, cy = cell_of[i] / gx;
    auto consider = [&](int c) {
      for (int s = start[c]; s < start[c + 1]; ++s) {
        int j = items[s];
        if (j == i) continue;
        double dx = x[i] - x[j], dy = y[i] - y[j];
        Cand cd{dx * dx + dy * dy, j};
        if (static_cast<int>(best.size()) == k && !(cd < best.back())) continue;
        auto it = std::upper_bound(best.begin(), best.end(), cd);
        best.insert(it, cd);
        if (static_cast<int>(best.size()) > k) best.pop_back();
      }
    };
    for (int r = 0;; ++r) {
      if (static_cast<int>(best.size()) == k) {
        double reach = (r - 1) * cs * 0.999999;  // every unvisited point is at least this far
        if (r >= 1 && reach > 0 && best.back().d2 < reach * reach) break;
      }
      if (cx - r < 0 && cy - r < 0 && cx + r >= gx && cy + r >= gy) break;
      for (int yy = cy - r; yy <= cy + r; ++yy) {
        if (yy < 0 || yy >= gy) continue;
        bool edge_row = yy == cy - r || yy == cy + r;
        for (int xx = cx - r; xx <= cx + r; xx += (edge_row || r == 0) ? 1 : 2 * r) {
          if (xx >= 0 && xx < gx) consider(yy * gx + xx);
          if (r == 0) break;
        }
      }
    }
    for (size_t q = 0; q < best.size(); ++q) out[static_cast<size_t>(i) * k + q] = best[q].j;
  }
  return out;
}

namespace {

// Up to this many points the candidate lists also take the nearest points in each quadrant
// (brute force, O(n^2)), which lets clustered instances find the edges between clusters.
constexpr int kQuadrantLimit = 2500;

// Candidate lists for up to kQuadrantLimit points: each point's minimum-spanning-tree neighbours
// (the edges that tie clusters together), then the nearest point in each quadrant, then the
// nearest points overall; sorted by distance, ties by index. Brute force, O(n^2).
std::vector<int> rich_neighbours(const std::vector<double>& x, const std::vector<double>& y, int k) {
  const int n = static_cast<int>(x.size());
  std::vector<int> out(static_cast<size_t>(n) * k, -1);
  auto d2 = [&](int i, int j) {
    double dx = x[j] - x[i], dy = y[j] - y[i];
    return dx * dx + dy * dy;
  };
  struct Cand {
    double d2;
    int j;
    bool operator<(const Cand& o) const { return d2 != o.d2 ? d2 < o.d2 : j < o.j; }
  };
  // Prim's algorithm; ties go to the lower index.
  std::vector<std::vector<int>> mst(n);
  {
    std::vector<Cand> key(n);
    std::vector<int> from(n, 0);
    std::vector<char> in(n, 0);
    in[0] = 1;
    for (int j = 1; j < n; ++j) key[j] = Cand{d2(0, j), j};
    for (int it = 1; it < n; ++it) {
      int best = -1;
      for (int j = 0; j < n; ++j)
        if (!in[j] && (best < 0 || key[j] < key[best])) best = j;
      in[best] = 1;
      mst[best].push_back(from[best]);
      mst[from[best]].push_back(best);
      for (int j = 0; j < n; ++j)
        if (!in[j]) {
          double d = d2(best, j);
          if (d < key[j].d2) key[j].d2 = d, from[j] = best;
        }
    }
  }
  std::vector<Cand> nearest, chosen;
  std::vector<int> mark(n, -1);
  for (int i = 0; i < n; ++i) {
    nearest.clear();
    Cand quad[4];
    bool has[4] = {false, false, false, false};
    for (int j = 0; j < n; ++j) {
      if (j == i) continue;
      Cand cd{d2(i, j), j};
      double dx = x[j] - x[i], dy = y[j] - y[i];
      int q = (dx > 0 || (dx == 0 && dy > 0)) ? (dy >= 0 ? 0 : 3) : (dy > 0 ? 1 : 2);
      if (!has[q] || cd < quad[q]) quad[q] = cd, has[q] = true;
      if (static_cast<int>(nearest.size()) == k && !(cd < nearest.back())) continue;
      nearest.insert(std::upper_bound(nearest.begin(), nearest.end(), cd), cd);
      if (static_cast<int>(nearest.size()) > k) nearest.pop_back();
    }
    chosen.clear();
    auto take = [&](const Cand& cd) {
      if (mark[cd.j] == i || static_cast<int>(chosen.size()) >= k) return;
      mark[cd.j] = i;
      chosen.push_back(cd);
    };
    for (int j : mst[i]) take(Cand{d2(i, j), j});
    for (int q = 0; q < 4; ++q)
      if (has[q]) take(quad[q]);
    for (auto& cd : nearest) take(cd);
    std::sort(chosen.begin(), chosen.end());
    for (size_t q = 0; q < chosen.size(); ++q) out[static_cast<size_t>(i) * k + q] = chosen[q].j;
  }
  return out;
}

class Solver {
 public:
  Solver(const CostModel& m, const Options& o) : m_(m), o_(o), n_(static_cast<int>(m.size())), rng_(o.seed) {}

  std::vector<int> run(Stats* st) {
    k_ = std::max(1, std::min(o_.neighbours, n_ - 1));
    nb_ = n_ <= kQuadrantLimit ? rich_neighbours(m_.x, m_.y, k_) : nearest_neighbours(m_.x, m_.y, k_);
    nbc_.resize(nb_.size());
    for (int i = 0; i < n_; ++i)
      for (int q = 0; q < k_; ++q) {
        int j = nb_[static_cast<size_t>(i) * k_ + q];
        nbc_[static_cast<size_t>(i) * k_ + q] = j < 0 ? 0 : m_.cost(i, j);
      }
    // Street-side penalties make the geometric order imperfect; re-sort each row by cost.
    if (m_.crossing_penalty) sort_rows_by_cost();
    greedy();
    int64_t len = closed_length(m_, t_);
    if (st) st->start_length = len;
    budget_ = std::clamp(o_.work_per_node * n_, o_.min_work, o_.max_work);
    inq_.assign(n_, 0);
    queue_.assign(n_, 0);
    qhead_ = qtail_ = qsize_ = 0;
    for (int p = 0; p < n_; ++p) push(t_[p]);
    len -= local_search();
    if (st) st->local_length = len;
    if (o_.iterate && n_ >= 8) len = iterate(len, st);
    if (st) {
      st->length = len;
      st->work = work_;
    }
    // Rotate so the tour starts at point 0.
    std::vector<int> out(n_);
    int p0 = pos_[0];
    for (int i = 0; i < n_; ++i) out[i] = t_[(p0 + i) % n_];
    return out;
  }

 private:
  const CostModel& m_;
  Options o_;
  int n_;
  int k_ = 0;
  Rng rng_;
  std::vector<int> nb_;
  std::vector<int64_t> nbc_;
  std::vector<int> t_, pos_;
  std::vector<char> inq_;
  std::vector<int> queue_;
  int qhead_ = 0, qtail_ = 0, qsize_ = 0;
  int64_t work_ = 0, budget_ = 0;
  // Journal of positions written since the last accepted state (iterated search only).
  bool journal_ = false;
  std::vector<char> dirty_;
  std::vector<int> dirty_list_;

  int64_t c(int a, int b) const { return m_.cost(a, b); }
  int next(int v) const {
    int p = pos_[v] + 1;
    return t_[p == n_ ? 0 : p];
  }
  int prev(int v) const {
    int p = pos_[v] - 1;
    return t_[p < 0 ? n_ - 1 : p];
  }
  int wrap(int p) const { return p >= n_ ? p - n_ : (p < 0 ? p + n_ : p); }
  void set(int p, int v) {
    t_[p] = v;
    pos_[v] = p;
    if (journal_ && !dirty_[p]) {
      dirty_[p] = 1;
      dirty_list_.push_back(p);
    }
  }
  void push(int v) {
    if (inq_[v]) return;
    inq_[v] = 1;
    queue_[qtail_] = v;
    qtail_ = qtail_ + 1 == n_ ? 0 : qtail_ + 1;
    ++qsize_;
  }
  int pop() {
    int v = queue_[qhead_];
    qhead_ = qhead_ + 1 == n_ ? 0 : qhead_ + 1;
    --qsize_;
    inq_[v] = 0;
    return v;
  }

  void sort_rows_by_cost() {
    std::vector<std::pair<int64_t, int>> row(k_);
    for (int i = 0; i < n_; ++i) {
      size_t b = static_cast<size_t>(i) * k_;
      int cnt = 0;
      for (int q = 0; q < k_; ++q)
        if (nb_[b + q] >= 0) row[cnt++] = {nbc_[b + q], nb_[b + q]};
      std::sort(row.begin(), row.begin() + cnt);
      for (int q = 0; q < cnt; ++q) {
        nbc_[b + q] = row[q].first;
        nb_[b + q] = row[q].second;
      }
    }
  }

  // Greedy edge matching over the candidate edges, fragments then joined nearest-end first.
  void greedy() {
    struct E {
      int64_t w;
      int a, b;
      bool operator<(const E& o) const { return w != o.w ? w < o.w : (a != o.a ? a < o.a : b < o.b); }
    };
    std::vector<E> edges;
    edges.reserve(static_cast<size_t>(n_) * k_);
    for (int i = 0; i < n_; ++i)
      for (int q = 0; q < k_; ++q) {
        int j = nb_[static_cast<size_t>(i) * k_ + q];
        if (j >= 0) edges.push_back(E{nbc_[static_cast<size_t>(i) * k_ + q], std::min(i, j), std::max(i, j)});
      }
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end(), [](const E& a, const E& b) { return a.a == b.a && a.b == b.b; }), edges.end());
    std::vector<int> deg(n_, 0), adj(2 * static_cast<size_t>(n_), -1), uf(n_);
    std::iota(uf.begin(), uf.end(), 0);
    auto find = [&](int v) {
      while (uf[v] != v) v = uf[v] = uf[uf[v]];
      return v;
    };
    auto link = [&](int a, int b) {
      adj[2 * a + deg[a]++] = b;
      adj[2 * b + deg[b]++] = a;
      uf[find(a)] = find(b);
    };
    int added = 0;
    for (auto& e : edges) {
      if (added == n_ - 1) break;
      if (deg[e.a] >= 2 || deg[e.b] >= 2 || find(e.a) == find(e.b)) continue;
      link(e.a, e.b);
      ++added;
    }
    // Join fragments: walk from the lowest free end, then always on to the nearest free end of
    // another fragment.
    auto other_end = [&](int v) {
      int pv = -1, cur = v;
      while (true) {
        int nx = -1;
        for (int s = 0; s < deg[cur]; ++s)
          if (adj[2 * cur + s] != pv) nx = adj[2 * cur + s];
        if (nx < 0) return cur;
        pv = cur;
        cur = nx;
        ++work_;
      }
    };
    std::vector<int> frag(n_), ends;
    for (int i = 0; i < n_; ++i) {
      frag[i] = find(i);
      if (deg[i] < 2) ends.push_back(i);
    }
    if (added < n_ - 1) {
      std::vector<char> used(n_, 0);
      used[frag[ends[0]]] = 1;
      int cur = other_end(ends[0]);
      while (added < n_ - 1) {
        int best = -1;
        int64_t bw = 0;
        for (int e : ends) {
          if (used[frag[e]]) continue;
          int64_t w = c(cur, e);
          if (best < 0 || w < bw) best = e, bw = w;
        }
        work_ += static_cast<int64_t>(ends.size());
        int far = other_end(best);
        used[frag[best]] = 1;
        link(cur, best);
        ++added;
        cur = far;
      }
    }
    // Read the Hamiltonian path out; the closing edge is implicit.
    t_.assign(n_, 0);
    pos_.assign(n_, 0);
    int start = 0;
    for (int i = 0; i < n_; ++i)
      if (deg[i] < 2) { start = i; break; }
    int pv = -1, cur = start;
    for (int p = 0; p < n_; ++p) {
      t_[p] = cur;
      pos_[cur] = p;
      int nx = -1;
      for (int s = 0; s < deg[cur]; ++s)
        if (adj[2 * cur + s] != pv) nx = adj[2 * cur + s];
      pv = cur;
      cur = nx;
    }
  }

  // Reverses the tour between positions i and j inclusive (cyclic), or the complementary stretch,
  // whichever is shorter: both give the same cycle.
  void reverse(int i, int j) {
    int len = j - i;
    if (len < 0) len += n_;
    len += 1;
    if (2 * len > n_) {
      int ni = wrap(j + 1), nj = wrap(i - 1);
      i = ni;
      j = nj;
      len = n_ - len;
    }
    for (int s = 0; s < len / 2; ++s) {
      int a = t_[i], b = t_[j];
      set(i, b);
      set(j, a);
      i = i + 1 == n_ ? 0 : i + 1;
      j = j == 0 ? n_ - 1 : j - 1;
    }
    work_ += len;
  }

  // Replaces edges (a,b),(c,d) by (a,c),(b,d); b follows a and d follows c in one direction.
  void move2(int a, int b, int cc, int /*d*/) {
    if (next(a) == b) reverse(pos_[b], pos_[cc]);
    else reverse(pos_[cc], pos_[b]);
  }

  // Moves the segment of L cities at positions i.. (forward) between u and w = next(u); the
  // segment's first city ends next to u unless `flip`.
  void move_segment(int i, int L, int u, int w, bool flip) {
    int seg[3];
    for (int q = 0; q < L; ++q) seg[q] = t_[wrap(i + q)];
    if (flip) std::reverse(seg, seg + L);
    int pu = pos_[u];
    int m = pu - wrap(i + L);
    if (m < 0) m += n_;
    m += 1;                   // block from next(segment end) to u
    int m2 = n_ - L - m;      // block from w to prev(segment start)
    if (m <= m2) {
      for (int q = 0; q < m; ++q) set(wrap(i + q), t_[wrap(i + L + q)]);
      for (int q = 0; q < L; ++q) set(wrap(i + m + q), seg[q]);
      work_ += m + L;
    } else {
      int pw = pos_[w];
      for (int q = m2 - 1; q >= 0; --q) set(wrap(pw + L + q), t_[wrap(pw + q)]);
      for (int q = 0; q < L; ++q) set(wrap(pw + q), seg[q]);
      work_ += m2 + L;
    }
  }

  bool try_2opt(int a) {
    for (int dir = 0; dir < 2; ++dir) {
      int b = dir == 0 ? next(a) : prev(a);
      int64_t dab = c(a, b);
      size_t base = static_cast<size_t>(a) * k_;
      for (int q = 0; q < k_; ++q) {
        int cc = nb_[base + q];
        if (cc < 0) break;
        ++work_;
        int64_t g1 = dab - nbc_[base + q];
        if (g1 <= 0) break;
        int d = dir == 0 ? next(cc) : prev(cc);
        if (cc == b || d == a) continue;
        int64_t gain = g1 + c(cc, d) - c(b, d);
        if (gain > 0) {
          move2(a, b, cc, d);
          push(a), push(b), push(cc), push(d);
          gain_ += gain;
          return true;
        }
      }
    }
    return false;
  }

  bool try_oropt(int a) {
    for (int L = 1; L <= 3 && L <= n_ - 3; ++L) {
      for (int variant = 0; variant < (L == 1 ? 1 : 2); ++variant) {
        int i = variant == 0 ? pos_[a] : wrap(pos_[a] - L + 1);
        int s1 = t_[i], s2 = t_[wrap(i + L - 1)];
        int p = prev(s1), nx = next(s2);
        int64_t g0 = c(p, s1) + c(s2, nx) - c(p, nx);
        work_ += 2;
        if (g0 <= 0) continue;
        for (int end = 0; end < 2; ++end) {
          int e = end == 0 ? s1 : s2, other = end == 0 ? s2 : s1;
          size_t base = static_cast<size_t>(e) * k_;
          for (int q = 0; q < k_; ++q) {
            int cc = nb_[base + q];
            if (cc < 0) break;
            ++work_;
            int64_t g1 = g0 - nbc_[base + q];
            if (g1 <= 0) break;
            int off = pos_[cc] - i;
            if (off < 0) off += n_;
            if (off < L) continue;  // inside the segment
            // Edge (cc, next(cc)): e sits next to cc.
            int w = next(cc);
            if (cc != p) {
              int64_t gain = g1 + c(cc, w) - c(other, w);
              if (gain > 0) {
                move_segment(i, L, cc, w, e != s1);
                push(p), push(nx), push(s1), push(s2), push(cc), push(w);
                gain_ += gain;
                return true;
              }
            }
            // Edge (prev(cc), cc): e sits next to cc, other next to prev(cc).
            int u = prev(cc);
            if (cc != nx) {
              int64_t gain = g1 + c(u, cc) - c(other, u);
              if (gain > 0) {
                move_segment(i, L, u, cc, e != s2);
                push(p), push(nx), push(s1), push(s2), push(cc), push(u);
                gain_ += gain;
                return true;
              }
            }
          }
        }
      }
    }
    return false;
  }

  int64_t gain_ = 0;

  // Runs until no queued city improves or the budget is spent; returns the total gain.
  int64_t local_search() {
    gain_ = 0;
    while (qsize_ > 0 && work_ < budget_) {
      int a = pop();
      work_ += 4;  // the fixed cost evaluations around a, whatever the candidates do
      if (try_2opt(a) || try_oropt(a)) push(a);
    }
    return gain_;
  }

  int walk(int v, int steps) {
    int w = std::min(k_, 5);
    for (int q = 0; q < steps; ++q) {
      int nv = nb_[static_cast<size_t>(v) * k_ + rng_.below(w)];
      if (nv >= 0) v = nv;
    }
    return v;
  }

  // Picks three distinct tour positions near each other in space and returns the cut before the
  // two shorter of the three arcs they make, with those arcs' lengths.
  bool walk_kick(int& p0, int& l1, int& l2) {
    const int longpct = 40, tour_k = 8;
    int q[3];
    if (static_cast<int>(rng_.below(100)) < longpct) {
      // Cuts at long edges: in clustered instances these are the links between clusters, which
      // short kicks never touch.
      for (int r = 0; r < 3; ++r) {
        int bp = -1;
        int64_t bl = -1;
        for (int s = 0; s < tour_k; ++s) {
          int p = static_cast<int>(rng_.below(n_));
          int64_t l = c(t_[p], t_[p + 1 == n_ ? 0 : p + 1]);
          if (l > bl) bl = l, bp = p;
        }
        q[r] = bp;
      }
      work_ += 3 * tour_k;
    } else {
      int v1 = static_cast<int>(rng_.below(n_));
      int v2 = walk(v1, 1 + static_cast<int>(rng_.below(3)));
      int v3 = walk(v2, 1 + static_cast<int>(rng_.below(3)));
      q[0] = pos_[v1], q[1] = pos_[v2], q[2] = pos_[v3];
    }
    std::sort(q, q + 3);
    if (q[0] == q[1] || q[1] == q[2]) return false;
    int a1 = q[1] - q[0], a2 = q[2] - q[1], a3 = n_ - a1 - a2;
    if (a3 >= a1 && a3 >= a2) p0 = q[0], l1 = a1, l2 = a2;
    else if (a1 >= a2) p0 = q[1], l1 = a2, l2 = a3;
    else p0 = q[2], l1 = a3, l2 = a1;
    return true;
  }

  int64_t iterate(int64_t len, Stats* st) {
    std::vector<int> best_t = t_;
    int64_t best = len;
    journal_ = true;
    dirty_.assign(n_, 0);
    dirty_list_.clear();
    std::vector<int> buf;
    const int lmax = std::max(1, std::min(50, (n_ - 2) / 3));
    while (work_ < budget_) {
      // Double bridge (swap two adjacent stretches) at three cuts close in space: each cut city
      // is a short random walk on the candidate graph from the last (Applegate et al.'s
      // "geometric" kick), so the kick stays local even when the stretches are long in the tour.
      int p0, l1, l2;
      if (!walk_kick(p0, l1, l2)) {
        p0 = static_cast<int>(rng_.below(n_));
        l1 = 1 + static_cast<int>(rng_.below(lmax));
        l2 = 1 + static_cast<int>(rng_.below(lmax));
      }
      int a = t_[p0], b0 = t_[wrap(p0 + 1)], b1 = t_[wrap(p0 + l1)];
      int c0 = t_[wrap(p0 + l1 + 1)], c1 = t_[wrap(p0 + l1 + l2)], d = t_[wrap(p0 + l1 + l2 + 1)];
      int64_t delta = c(a, c0) + c(c1, b0) + c(b1, d) - c(a, b0) - c(b1, c0) - c(c1, d);
      buf.resize(l1 + l2);
      for (int q = 0; q < l1 + l2; ++q) buf[q] = t_[wrap(p0 + 1 + q)];
      for (int q = 0; q < l2; ++q) set(wrap(p0 + 1 + q), buf[l1 + q]);
      for (int q = 0; q < l1; ++q) set(wrap(p0 + 1 + l2 + q), buf[q]);
      work_ += l1 + l2;
      push(a), push(b0), push(b1), push(c0), push(c1), push(d);
      int64_t cur = len + delta - local_search();
      while (qsize_ > 0) pop();  // budget ran out mid-search: drop the rest
      if (st) ++st->kicks;
      if (cur <= best) {
        if (cur < best && st) ++st->improving_kicks;
        best = cur;
        for (int p : dirty_list_) best_t[p] = t_[p];
      } else {
        for (int p : dirty_list_) {
          t_[p] = best_t[p];
          pos_[t_[p]] = p;
        }
      }
      for (int p : dirty_list_) dirty_[p] = 0;
      work_ += static_cast<int64_t>(dirty_list_.size());
      dirty_list_.clear();
      len = best;
    }
    journal_ = false;
    return best;
  }
};

}  // namespace

std::vector<int> solve(const CostModel& m, const Options& opt, Stats* stats) {
  const int n = static_cast<int>(m.size());
  if (stats) *stats = Stats{};
  if (n <= 3) {
    std::vector<int> t(n);
    std::iota(t.begin(), t.end(), 0);
    if (stats) stats->length = stats->start_length = stats->local_length = closed_length(m, t);
    return t;
  }
  Solver s(m, opt);
  return s.run(stats);
}

}  // namespace doorstep::tour
