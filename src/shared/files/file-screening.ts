import { HttpStatus, Inject, Injectable, Logger, Module } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config.js';
import { ApiError } from '../errors/api-error.js';
import { cfbMacroProblem, isCfb } from './cfb-screening.js';
import { CommandFileScanner, FILE_SCANNER, NoFileScanner } from './file-scanner.js';
import type { FileScanner, ScannedFile } from './file-scanner.js';
import type { ScreeningProblem } from './screening-problem.js';
import { isZip, zipProblem } from './zip-screening.js';

/**
 * IV.5.a, malware screening of every uploaded file, on both planes (evidence files on the data
 * plane, documents on the control plane), after its type was sniffed and its size bounded:
 *  1. Office containers are opened and refused when they are zip bombs or carry macros
 *     (zip-screening.ts for OOXML/OpenDocument, cfb-screening.ts for legacy .doc/.xls/.ppt);
 *  2. the external scanner, when one is configured (FILE_SCANNER_COMMAND), must call it clean.
 * Refusals are 400 with a code per reason; a scanner that cannot give a verdict makes the upload
 * fail with 503 (try again later), never pass unscanned.
 */
@Injectable()
export class FileScreening {
  private readonly logger = new Logger(FileScreening.name);

  constructor(
    private readonly config: GatewayConfig,
    @Inject(FILE_SCANNER) private readonly scanner: FileScanner,
  ) {}

  async screen(content: Buffer, file: ScannedFile): Promise<void> {
    const problem = await this.containerProblem(content);
    if (problem) {
      const message = problem.code === 'FILE_MACROS_REFUSED' ? 'Files with macros are not accepted' : 'The file could not be accepted as a safe Office document';
      throw ApiError.badRequest(message, [{ field: 'body', problem: `the file ${problem.problem}` }], problem.code);
    }
    const scan = await this.scanner.scan(content, file);
    if (scan.verdict === 'infected') {
      this.logger.warn(`Upload refused by ${this.scanner.name}: ${scan.signature} (${file.mediaType}, ${content.length} bytes)`);
      throw ApiError.badRequest('The file was found to contain malware', [{ field: 'body', problem: `the malware scanner found ${scan.signature}` }], 'FILE_MALWARE_FOUND');
    }
    if (scan.verdict === 'error') {
      this.logger.error(`Malware scanner ${this.scanner.name} gave no verdict: ${scan.reason}`);
      throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'FILE_SCANNER_UNAVAILABLE', 'The malware scanner could not check the file; try again later');
    }
  }

  private containerProblem(content: Buffer): Promise<ScreeningProblem | null> | ScreeningProblem | null {
    if (isZip(content)) {
      return zipProblem(content, {
        maxInflatedBytes: this.config.FILE_MAX_INFLATED_BYTES,
        maxEntries: this.config.FILE_MAX_ARCHIVE_ENTRIES,
        maxRatio: this.config.FILE_MAX_COMPRESSION_RATIO,
      });
    }
    return isCfb(content) ? cfbMacroProblem(content) : null;
  }
}

/** Imported by the modules that take uploads (documents, data-plane attachments). */
@Module({
  providers: [
    {
      provide: FILE_SCANNER,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig): FileScanner =>
        config.FILE_SCANNER_COMMAND ? new CommandFileScanner(config.FILE_SCANNER_COMMAND, config.FILE_SCANNER_TIMEOUT_MS) : new NoFileScanner(),
    },
    FileScreening,
  ],
  exports: [FileScreening],
})
export class FileScreeningModule {}
