import { Logger } from '@nestjs/common';
import { AbstractLogger, type LoggerOptions, type LogLevel, type LogMessage } from 'typeorm';

/**
 * TypeORM's messages (failed queries, pool errors, migrations) through Nest's logger, so that
 * they too are JSON lines (gateway-logger.ts) instead of TypeORM's coloured console text. Query
 * parameters are never written: they are the records' and people's data.
 */
export class TypeOrmJsonLogger extends AbstractLogger {
  private readonly logger = new Logger('Database');

  constructor(options: LoggerOptions) {
    super(options);
  }

  protected writeLog(level: LogLevel, message: LogMessage | string | number | Array<LogMessage | string | number>): void {
    const messages = this.prepareLogMessages(message, { highlightSql: false, appendParameterAsComment: false, addColonToPrefix: true });
    for (const m of messages) {
      const text = `${m.prefix ? `${m.prefix} ` : ''}${String(m.message)}`;
      const type = m.type ?? level;
      if (type === 'error' || type === 'query-error') this.logger.error(text);
      else if (type === 'warn' || type === 'query-slow') this.logger.warn(text);
      else this.logger.log(text);
    }
  }
}
