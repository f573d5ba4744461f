import { Typography } from 'antd';

/**
 * A code a person reads in words, with the code beside them for the technical staff (it is what
 * the connected system and the logs say); just the code when there are no words for it.
 */
export function CodeInWords({ words, code }: { words: string; code: string }) {
  return words === code ? <>{code}</> : <>{words} <Typography.Text type="secondary">({code})</Typography.Text></>;
}
