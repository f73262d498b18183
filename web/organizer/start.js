// Starts the console once every screen file has registered itself (loaded last by organizer.html).
'use strict';
Console.start();
