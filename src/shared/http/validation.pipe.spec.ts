import { jest } from '@jest/globals';
import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { PullTaskResultsQueryDto } from '../../data-exchange/task-results/dto/task-result.dto.js';
import { ApiError } from '../errors/api-error.js';
import { StrictValidationPipe } from './validation.pipe.js';

const asQuery: ArgumentMetadata = { type: 'query', metatype: PullTaskResultsQueryDto, data: undefined };

describe('StrictValidationPipe: repeated queries', () => {
  let pipe: StrictValidationPipe;
  let validations: ReturnType<typeof jest.spyOn>;

  beforeEach(() => {
    pipe = new StrictValidationPipe();
    validations = jest.spyOn(ValidationPipe.prototype, 'transform');
  });
  afterEach(() => validations.mockRestore());

  it('validates a query once, and hands every identical one its own copy of the result', async () => {
    const first = (await pipe.transform({ limit: '100', result: 'IN_PROGRESS' }, asQuery)) as PullTaskResultsQueryDto;
    const second = (await pipe.transform({ limit: '100', result: 'IN_PROGRESS' }, asQuery)) as PullTaskResultsQueryDto;
    expect(validations).toHaveBeenCalledTimes(1);
    expect(second).toBeInstanceOf(PullTaskResultsQueryDto);
    expect(second).toEqual(first);
    expect(second.limit).toBe(100);
    expect(second).not.toBe(first);

    second.limit = 7; // a handler changing its query changes nobody else's
    const third = (await pipe.transform({ limit: '100', result: 'IN_PROGRESS' }, asQuery)) as PullTaskResultsQueryDto;
    expect(third.limit).toBe(100);
    const other = (await pipe.transform({ limit: '5' }, asQuery)) as PullTaskResultsQueryDto;
    expect(other.limit).toBe(5);
    expect(validations).toHaveBeenCalledTimes(2);
  });

  it('never remembers a query that failed', async () => {
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ limit: '0' }, asQuery)).rejects.toBeInstanceOf(ApiError);
      await expect(pipe.transform({ limit: '100', unknown: 'x' }, asQuery)).rejects.toBeInstanceOf(ApiError);
    }
    expect(validations).toHaveBeenCalledTimes(4);
  });

  it('validates bodies every time', async () => {
    const asBody: ArgumentMetadata = { type: 'body', metatype: PullTaskResultsQueryDto, data: undefined };
    await pipe.transform({ limit: 100 }, asBody);
    await pipe.transform({ limit: 100 }, asBody);
    expect(validations).toHaveBeenCalledTimes(2);
  });
});
