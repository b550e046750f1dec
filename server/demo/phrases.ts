/** Everyday message phrases of the demo world and the benchmarks; no imports, so a load generator can use them cheaply. */

/** Combined, they vary enough that no honest sender trips the duplicate check (R14) by accident. */
export const openers = ['hey', 'hi!', 'hello', 'yo', 'good morning', 'evening', 'quick question:', 'so', 'lol', 'ok', 'thanks!', 'haha'];
export const bodies = [
  'are you around later?', 'did you see the game', 'sending the photos now', 'what time works for you', 'can you call me',
  'that was hilarious', 'running 10 min late', 'happy birthday!!', 'where did we park', 'loved your post', 'any news on the job',
  'dinner on friday?', 'I found the charger', 'this made me think of you', 'see you tomorrow', 'how is the new place',
  'let me check and get back to you', 'sounds good', 'no worries at all', 'congrats!!', 'what was the name of that band',
  'can you send me the address', 'are we still on for sunday', 'thanks for yesterday', 'my train is delayed again',
  'did you finish the book', 'look at this', 'I owe you one', 'yes please', 'maybe next week?',
];
