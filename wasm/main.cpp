// The browser module's main(): nothing runs until web/boot.js calls Module.doorstepStart(), so the
// page can hand over fonts and set window.Module first (see wasm/app.cpp).
int main() { return 0; }
