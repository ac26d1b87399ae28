// Names are bytes: how a path that is not UTF-8 is shown, and joined.
import { describe, expect, it } from '@jest/globals'
import { byteKey, displayPath, joinKey, keyBytes, textKey } from '../src/bytepath.js'

/** Bytes written as a Latin-1 string: '\xe9' is the one byte 0xe9. */
const bytes = (latin1: string): Buffer => Buffer.from(latin1, 'latin1')

describe('displayPath', () => {
  it.each([
    ['plain ASCII', bytes('frontend/.next/cache'), 'frontend/.next/cache'],
    ['UTF-8 shows as itself', Buffer.from('backend/été/ünï/日本/😀'), 'backend/été/ünï/日本/😀'],
    ['a Latin-1 name', bytes('backend/\xe9t\xe9/x.pyc'), 'backend/\\xe9t\\xe9/x.pyc'],
    ['bytes that start no sequence', bytes('\xff\xfe-bytes.js'), '\\xff\\xfe-bytes.js'],
    ['a lone continuation byte', bytes('a\x80b'), 'a\\x80b'],
    ['a truncated sequence at the end', bytes('a\xe2\x82'), 'a\\xe2\\x82'],
    ['a truncated sequence before ASCII', bytes('\xe2\x82z'), '\\xe2\\x82z'],
    ['an overlong encoding of /', bytes('\xc0\xaf'), '\\xc0\\xaf'],
    ['an overlong three-byte sequence', bytes('\xe0\x80\xaf'), '\\xe0\\x80\\xaf'],
    ['a UTF-16 surrogate', bytes('\xed\xa0\x80'), '\\xed\\xa0\\x80'],
    ['past U+10FFFF', bytes('\xf4\x90\x80\x80'), '\\xf4\\x90\\x80\\x80'],
    ['a literal backslash', bytes('a\\b'), 'a\\\\b'],
    ['a literal backslash-x that looks like an escape', bytes('\\xe9'), '\\\\xe9'],
    ['a newline cannot start a new log line', bytes('a\n::error::b'), 'a\\x0a::error::b'],
    ['a tab, a carriage return, DEL', bytes('\t\r\x7f'), '\\x09\\x0d\\x7f'],
    ['empty', bytes(''), '']
  ])('%s', (_, input, shown) => {
    expect(displayPath(input)).toBe(shown)
  })

  it('is always valid UTF-8 and can be read back to the same bytes', () => {
    const unescape = (text: string): Buffer => {
      const parts: Buffer[] = []
      for (const [, escaped, hex, plain] of text.matchAll(/(\\\\)|\\x([0-9a-f]{2})|([^\\]+)/g)) {
        if (escaped) parts.push(Buffer.from('\\'))
        else if (hex) parts.push(Buffer.from([parseInt(hex, 16)]))
        else parts.push(Buffer.from(plain))
      }
      return Buffer.concat(parts)
    }
    for (let byte = 0; byte < 256; byte++) {
      for (const input of [Buffer.from([byte]), Buffer.from([0x61, byte, 0x5c, 0xc3, byte, 0xa9])]) {
        const shown = displayPath(input)
        expect(Buffer.from(shown).toString()).toBe(shown)
        expect(unescape(shown)).toEqual(input)
      }
    }
  })
})

describe('byte keys', () => {
  it('keep every byte, and join as paths', () => {
    const name = bytes('\xe9t\xe9\xff')
    expect(keyBytes(byteKey(name))).toEqual(name)
    expect(textKey('été')).toBe(byteKey(Buffer.from('été')))
    expect(joinKey(bytes('/a'), byteKey(name))).toEqual(bytes('/a/\xe9t\xe9\xff'))
  })
})
