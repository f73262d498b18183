// The panel's WebGL 2 drawing on a worker's thread (web/panel.js is the page's side): the page's
// canvas is handed over (transferControlToOffscreen) and the module sends each frame's ImGui draw
// lists here (wasm/gl_draw.cpp writes the format read by drawFrame). Every wait for the GPU
// process (making the context, the font upload, the link check) is then this thread's, never the
// page's. First it answers whether a worker can make a WebGL 2 context at all (a 1x1 probe: the
// page otherwise draws itself). Leaves out input and layout (the module's, on the page).
'use strict';
let probeMs = 0;
{
  const t0 = performance.now();
  let ok = false;
  try { ok = !!new OffscreenCanvas(1, 1).getContext('webgl2'); } catch (e) { /* no WebGL 2 here */ }
  probeMs = performance.now() - t0;
  postMessage({ type: 'probe', ok });
}

// The shaders come from the module (wasm/gl_draw.cpp, which draws with them on the page otherwise).
let canvas = null, gl = null, dev = null, shaders = null, atlas = null, lastFrame = null, linkReported = false;

function shader(kind, src) {
  const s = gl.createShader(kind);
  gl.shaderSource(s, src);
  gl.compileShader(s);
  return s;
}

// Program, buffers, vertex layout and the font texture: at the start and after a lost context.
function createDevice() {
  if (!gl || !shaders || gl.isContextLost()) return;
  const vs = shader(gl.VERTEX_SHADER, shaders.vertex), fs = shader(gl.FRAGMENT_SHADER, shaders.fragment);
  const program = gl.createProgram();
  gl.attachShader(program, vs);
  gl.attachShader(program, fs);
  gl.linkProgram(program);
  const vao = gl.createVertexArray(), vbo = gl.createBuffer(), ebo = gl.createBuffer();
  gl.bindVertexArray(vao);
  gl.bindBuffer(gl.ARRAY_BUFFER, vbo);
  gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, ebo);
  for (const i of [0, 1, 2]) gl.enableVertexAttribArray(i);
  gl.bindVertexArray(null);
  dev = { program, vs, fs, vao, vbo, font: null };
  if (atlas) uploadAtlas();
  if (lastFrame) drawFrame(lastFrame);
}

function uploadAtlas() {
  if (dev.font) gl.deleteTexture(dev.font);
  dev.font = gl.createTexture();
  gl.bindTexture(gl.TEXTURE_2D, dev.font);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
  gl.texImage2D(gl.TEXTURE_2D, 0, gl.R8, atlas.w, atlas.h, 0, gl.RED, gl.UNSIGNED_BYTE, atlas.pixels);
}

// One frame as wasm/gl_draw.cpp (render_remote) wrote it, 32-bit little-endian words:
//   header: f32 framebuffer w, h; f32 frame[4] (pixels to clip space); f32 clear rgba[4];
//           u32 index size (2 or 4); u32 list count
//   each list: u32 vertex bytes, index bytes, command count; per command i32 scissor x, y, w, h,
//           u32 element count, index offset, vertex offset; then the vertices (20 bytes each:
//           pos, uv, rgba8) and the indices, padded to 4 bytes.
function drawFrame(buf) {
  const v = new DataView(buf);
  let o = 0;
  const f32 = () => { const x = v.getFloat32(o, true); o += 4; return x; };
  const u32 = () => { const x = v.getUint32(o, true); o += 4; return x; };
  const i32 = () => { const x = v.getInt32(o, true); o += 4; return x; };
  const fbW = f32(), fbH = f32();
  const frame = [f32(), f32(), f32(), f32()], clear = [f32(), f32(), f32(), f32()];
  const idxSize = u32(), lists = u32();
  gl.viewport(0, 0, Math.round(fbW), Math.round(fbH));
  gl.disable(gl.SCISSOR_TEST);
  gl.clearColor(clear[0], clear[1], clear[2], clear[3]);
  gl.clear(gl.COLOR_BUFFER_BIT);
  gl.enable(gl.BLEND);
  gl.blendEquation(gl.FUNC_ADD);
  gl.blendFuncSeparate(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA, gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
  gl.disable(gl.CULL_FACE);
  gl.disable(gl.DEPTH_TEST);
  gl.disable(gl.STENCIL_TEST);
  gl.enable(gl.SCISSOR_TEST);
  gl.useProgram(dev.program);
  gl.activeTexture(gl.TEXTURE0);
  gl.bindTexture(gl.TEXTURE_2D, dev.font);
  gl.vertexAttrib4f(3, frame[0], frame[1], frame[2], frame[3]);
  gl.bindVertexArray(dev.vao);
  gl.bindBuffer(gl.ARRAY_BUFFER, dev.vbo);
  const stride = 20, type = idxSize === 2 ? gl.UNSIGNED_SHORT : gl.UNSIGNED_INT;
  for (let n = 0; n < lists; ++n) {
    const vtxBytes = u32(), idxBytes = u32(), cmds = u32();
    const cmdAt = o;
    o += cmds * 28;
    gl.bufferData(gl.ARRAY_BUFFER, new Uint8Array(buf, o, vtxBytes), gl.STREAM_DRAW);
    o += vtxBytes;
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, new Uint8Array(buf, o, idxBytes), gl.STREAM_DRAW);
    o += (idxBytes + 3) & ~3;
    const end = o;
    o = cmdAt;
    let bound = -1;
    for (let c = 0; c < cmds; ++c) {
      const sx = i32(), sy = i32(), sw = i32(), sh = i32(), count = u32(), idxOffset = u32(), vtxOffset = u32();
      gl.scissor(sx, sy, sw, sh);
      if (vtxOffset !== bound) {  // WebGL 2 has no base vertex: the pointers move instead
        const base = vtxOffset * stride;
        gl.vertexAttribPointer(0, 2, gl.FLOAT, false, stride, base);
        gl.vertexAttribPointer(1, 2, gl.FLOAT, false, stride, base + 8);
        gl.vertexAttribPointer(2, 4, gl.UNSIGNED_BYTE, true, stride, base + 16);
        bound = vtxOffset;
      }
      gl.drawElements(gl.TRIANGLES, count, type, idxOffset * idxSize);
    }
    o = end;
  }
  gl.bindVertexArray(null);
  gl.disable(gl.SCISSOR_TEST);
}

// Whether the panel's shaders linked, asked once after the first frame (a wait, on this thread).
function reportLink() {
  if (linkReported || !dev) return;
  linkReported = true;
  const ok = !!gl.getProgramParameter(dev.program, gl.LINK_STATUS);
  let log = '';
  if (!ok) log = [gl.getProgramInfoLog(dev.program), gl.getShaderInfoLog(dev.vs), gl.getShaderInfoLog(dev.fs)].filter(Boolean).join(' | ');
  postMessage({ type: 'linked', ok, log: ok ? '' : (log || 'the panel\'s shaders did not link') });
}

onmessage = (e) => {
  const m = e.data;
  if (m.type === 'canvas') {
    const t0 = performance.now();
    canvas = m.canvas;
    gl = canvas.getContext('webgl2', m.attributes);
    if (!gl) { postMessage({ type: 'linked', ok: false, log: 'no WebGL 2 context on the panel\'s canvas' }); return; }
    canvas.addEventListener('webglcontextlost', (ev) => { ev.preventDefault(); dev = null; });
    canvas.addEventListener('webglcontextrestored', () => {
      createDevice();  // it redraws the last frame
      postMessage({ type: 'restored' });
    });
    createDevice();
    postMessage({ type: 'context', ms: performance.now() - t0, probeMs });
  } else if (m.type === 'shaders') {
    shaders = { vertex: m.vertex, fragment: m.fragment };
    createDevice();
  } else if (m.type === 'atlas') {
    atlas = { w: m.w, h: m.h, pixels: new Uint8Array(m.pixels) };
    if (dev) uploadAtlas();
  } else if (m.type === 'resize') {
    if (canvas && (canvas.width !== m.w || canvas.height !== m.h)) {
      canvas.width = m.w;
      canvas.height = m.h;
    }
  } else if (m.type === 'check') {
    // A snapshot of the page's canvas (web/panel.js): does it show a frame? The panel's background
    // is light, so a drawn frame has colour; an empty or never-shown one is clear or black.
    const c = new OffscreenCanvas(m.bitmap.width, m.bitmap.height).getContext('2d');
    c.drawImage(m.bitmap, 0, 0);
    m.bitmap.close();
    const px = c.getImageData(0, 0, c.canvas.width, c.canvas.height).data;
    let lit = false;
    for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0 && px[i] + px[i + 1] + px[i + 2] > 30) lit = true;
    postMessage({ type: 'seen', lit });
  } else if (m.type === 'lose') {
    // A lost context on purpose (DoorstepPanel.loseContext: tests and diagnosis), as a GPU
    // process crash would lose it, restored `m.ms` later.
    const ext = gl && gl.getExtension('WEBGL_lose_context');
    if (!ext) return;
    ext.loseContext();
    setTimeout(() => ext.restoreContext(), m.ms || 0);
  } else if (m.type === 'frame') {
    lastFrame = m.buf;
    if (!dev || gl.isContextLost()) return;
    drawFrame(m.buf);
    if (!linkReported) {
      postMessage({ type: 'drawn' });  // the page checks that the frame shows (web/panel.js)
      setTimeout(reportLink, 0);
    }
  }
};
