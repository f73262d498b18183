# Browser module build (filled in next).
